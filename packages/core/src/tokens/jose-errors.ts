import { errors } from 'jose'
import {
  type CovetError,
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

/** Every jose failure becomes one Covet error (key set outages are mapped where the set is fetched). */
export function fromJoseError(error: unknown): CovetError {
  if (error instanceof errors.JWTExpired) return new TokenExpiredError()
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return new TokenNotYetValidError()
    return new TokenInvalidError(
      CLAIM_REASONS[error.claim] === 'expired' ? 'payload' : (CLAIM_REASONS[error.claim] ?? 'payload'),
    )
  }
  // jwtVerify throws JWTInvalid only once the signature verified: the payload is not a claim set (RFC 7519 §7.2 step 10).
  if (error instanceof errors.JWTInvalid)
    return new TokenInvalidError('payload', 'The token is invalid', { cause: error })
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenInvalidError('signature')
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenInvalidError('algorithm')
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenInvalidError('key')
  }
  return new TokenInvalidError('malformed', 'The token is invalid', { cause: error })
}
