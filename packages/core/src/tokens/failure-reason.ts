import { COVET_ERROR_CODES } from '../error-codes.js'
import { type CovetError, TokenError, type TokenFailureReason } from '../errors.js'

/**
 * Why a verification failed, as `token.verify_failed` reports it: the token's own fault (its
 * `TokenFailureReason`), an outage of the revocation store (`'store'`) or of the remote JWK Set
 * (`'key_set'`), or, for any other error, `'unexpected'` (none is known to reach verification).
 */
export type VerifyFailureReason = TokenFailureReason | 'store' | 'key_set' | 'unexpected'

/** The reason `token.verify_failed` gives for `failure`: each outage its own, never "store" for all. */
export function verifyFailureReason(failure: CovetError): VerifyFailureReason {
  if (failure instanceof TokenError) return failure.reason
  switch (failure.code) {
    case COVET_ERROR_CODES.STORE_UNAVAILABLE:
    case COVET_ERROR_CODES.STORE_FULL:
      return 'store'
    case COVET_ERROR_CODES.KEYSET_UNAVAILABLE:
      return 'key_set'
    default:
      return 'unexpected'
  }
}
