import { isCovetError } from '@covet/core'
import { OAuthError } from '../errors.js'

const GRANT_FAILURES = new Set([
  'ERR_TOKEN_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_NOT_YET_VALID',
  'ERR_TOKEN_REVOKED',
  'ERR_REFRESH_REUSED',
  'ERR_TOKEN_TYPE',
  'ERR_TOKEN_CLAIMS',
  // RFC 9449 §5: a refresh token bound to a DPoP key, used without a proof of that key.
  'ERR_TOKEN_BINDING',
])
const OUTAGES = new Set(['ERR_STORE_UNAVAILABLE', 'ERR_STORE_FULL', 'ERR_KEYSET_UNAVAILABLE'])

/**
 * The RFC 6749 §5.2 error for any failure: refused refresh tokens become `invalid_grant`, a
 * widened scope `invalid_scope`, too many refreshes 429 with `Retry-After`, a store outage 503,
 * anything unexpected a bare 500 (told to `reportError`, never described to the client).
 */
export function toOAuthError(error: unknown, reportError?: (error: unknown) => void): OAuthError {
  if (error instanceof OAuthError) return error
  if (isCovetError(error)) {
    // RFC 6749 §5.2: an expired, revoked or foreign refresh token is an invalid grant.
    if (GRANT_FAILURES.has(error.code)) return new OAuthError('invalid_grant', 'The refresh token is invalid')
    // RFC 6749 §6: the scope of a refresh must not exceed the scope originally granted.
    if (error.code === 'ERR_SCOPE_WIDENED') {
      return new OAuthError('invalid_scope', 'The requested scope exceeds the scope originally granted')
    }
    // RFC 6585 §4: too many rotations for this user. The refresh token was not spent, so this is
    // no invalid_grant (which would make the client drop the session): it retries after the wait.
    if (error.code === 'ERR_REFRESH_RATE_LIMITED') {
      const wait = (error as { retryAfter?: unknown }).retryAfter
      const seconds = typeof wait === 'number' && wait > 0 ? Math.ceil(wait) : 1
      return new OAuthError('temporarily_unavailable', 'Too many refreshes; retry later', 429, {
        'retry-after': String(seconds),
      })
    }
    // RFC 9449 §5: a refused proof is a 400 invalid_dpop_proof, naming the failed check.
    if (error.code === 'ERR_DPOP_PROOF_INVALID') return new OAuthError('invalid_dpop_proof', error.message)
    // RFC 9449 §8: the client retries with a proof carrying the nonce sent in DPoP-Nonce.
    if (error.code === 'ERR_DPOP_NONCE') {
      return new OAuthError('use_dpop_nonce', 'Authorization server requires nonce in DPoP proof', 400, {
        'dpop-nonce': String((error as { nonce?: unknown }).nonce),
      })
    }
    if (OUTAGES.has(error.code)) {
      reportError?.(error)
      return new OAuthError('temporarily_unavailable', 'The service is temporarily unavailable', 503)
    }
  }
  reportError?.(error)
  return new OAuthError('server_error', 'The server could not handle the request', 500)
}
