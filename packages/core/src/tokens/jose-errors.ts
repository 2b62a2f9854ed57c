import { errors } from 'jose'
import {
  type CovetError,
  KeySetUnavailableError,
  TokenExpiredError,
  type TokenFailureReason,
  TokenInvalidError,
  TokenNotYetValidError,
} from '../errors.js'

const CLAIM_REASONS: Record<string, TokenFailureReason> = {
  iss: 'issuer',
  aud: 'audience',
  sub: 'subject',
  iat: 'issued_at',
  nbf: 'not_yet_valid',
  exp: 'expired',
}

/** Every jose failure becomes one Covet error; infrastructure failures (key set fetch) are told apart. */
export function fromJoseError(error: unknown): CovetError {
  if (error instanceof errors.JWTExpired) return new TokenExpiredError()
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return new TokenNotYetValidError()
    return new TokenInvalidError(
      CLAIM_REASONS[error.claim] === 'expired' ? 'payload' : (CLAIM_REASONS[error.claim] ?? 'payload'),
    )
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenInvalidError('signature')
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenInvalidError('algorithm')
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenInvalidError('key')
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new KeySetUnavailableError(undefined, { cause: error })
  }
  if (error instanceof errors.JOSEError) return new TokenInvalidError('malformed')
  // A failed fetch of a remote key set surfaces as a TypeError from fetch, or an HTTP status error.
  if (error instanceof Error && /fetch|network|status code|ECONNREFUSED/i.test(error.message)) {
    return new KeySetUnavailableError(undefined, { cause: error })
  }
  return new TokenInvalidError('malformed')
}
