import type { BearerErrorCode } from '../errors.js'
import { quote } from '../http/challenge.js'

/** RFC 9449 §7.1, §12.2: the error codes of a DPoP challenge. */
export type DpopErrorCode = BearerErrorCode | 'invalid_dpop_proof' | 'use_dpop_nonce'

/** The attributes of a DPoP challenge. */
export interface DpopChallenge {
  realm?: string | undefined
  error?: DpopErrorCode | undefined
  errorDescription?: string | undefined
  /** Scope the resource requires, as scope tokens. */
  scope?: readonly string[] | undefined
  /** The algorithms proofs may be signed with. */
  algs: readonly string[]
  /** URL of the protected resource metadata (RFC 9728 §5.1). */
  resourceMetadata?: string | undefined
}

// RFC 6750 §3, which RFC 9449 §7.1 follows: error_description is %x20-21 / %x23-5B / %x5D-7E.
const NOT_DESCRIPTION_CHAR = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/**
 * The value of a `WWW-Authenticate` header carrying a DPoP challenge.
 *
 * @example
 * ```ts
 * dpopChallenge({ algs: ['ES256', 'PS256'] }) // 'DPoP algs="ES256 PS256"'
 * dpopChallenge({ error: 'invalid_token', errorDescription: 'Invalid DPoP key binding', algs: ['ES256'] })
 * // 'DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function dpopChallenge(challenge: DpopChallenge): string {
  const params: string[] = []
  if (challenge.realm !== undefined) params.push(`realm=${quote(challenge.realm)}`)
  if (challenge.error !== undefined) {
    params.push(`error=${quote(challenge.error)}`)
    const description = challenge.errorDescription?.replace(NOT_DESCRIPTION_CHAR, '')
    if (description) params.push(`error_description=${quote(description)}`)
  }
  const scope = challenge.scope?.filter((token) => SCOPE_TOKEN.test(token))
  if (scope !== undefined && scope.length > 0) params.push(`scope=${quote(scope.join(' '))}`)
  params.push(`algs=${quote(challenge.algs.join(' '))}`)
  if (challenge.resourceMetadata !== undefined) {
    params.push(`resource_metadata=${quote(challenge.resourceMetadata)}`)
  }
  return `DPoP ${params.join(', ')}`
}
