import type { BearerErrorCode } from '../errors.js'
import { authChallenge, quote } from '../http/challenge.js'

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
  return authChallenge('DPoP', challenge, [`algs=${quote(challenge.algs.join(' '))}`])
}
