import type { RevocationStore } from '../revocation/store.js'
import type { DpopOptions } from './options.js'
import { parseDpopOptions } from './options.js'
import { type DpopVerifier, verifierFrom } from './verifier.js'

/** How a resource takes DPoP-bound tokens, once its options are checked. */
export interface ResourceDpop {
  /** `dpop: 'required'`: bearer tokens are refused. */
  readonly required: boolean
  readonly verifier: DpopVerifier
}

/** `withJwtAuth`'s `dpop` option, checked; `undefined` when DPoP is off. */
export function resourceDpop(
  option:
    | 'allowed'
    | 'required'
    | 'off'
    | (DpopOptions & { mode?: 'allowed' | 'required' | 'off' })
    | undefined,
  store: RevocationStore,
): ResourceDpop | undefined {
  const { mode = 'allowed', ...proofs } = typeof option === 'object' ? option : { mode: option }
  if (mode === 'off') return undefined
  return { required: mode === 'required', verifier: verifierFrom(parseDpopOptions('dpop', proofs, store)) }
}

/**
 * RFC 9449 §6.1: the thumbprint of the key a token is bound to (`cnf.jkt`); `undefined` when the
 * token carries no string `jkt`.
 *
 * @example
 * ```ts
 * const jkt = boundThumbprint(getAuth(request)!.claims) // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' or undefined
 * ```
 */
export function boundThumbprint(claims: object): string | undefined {
  const jkt = ((claims as { cnf?: unknown }).cnf as { jkt?: unknown } | null | undefined)?.jkt
  return typeof jkt === 'string' ? jkt : undefined
}
