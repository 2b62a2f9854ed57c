/**
 * Every code of the Covet error family, as a frozen run-time constant: switch on these, never on a
 * class name or a message (production bundles minify names). Each key is its code without `ERR_`.
 * `@covet/oauth2`'s RFC 6749 refusals belong to the family too (`OAUTH_*`), so that every copy of
 * `@covet/core` knows them (see `isCovetError`).
 *
 * @example
 * ```ts
 * if (isCovetError(error) && error.code === COVET_ERROR_CODES.TOKEN_EXPIRED) return refresh()
 * ```
 */
export const COVET_ERROR_CODES = Object.freeze({
  CONFIG: 'ERR_CONFIG',
  INVALID_ARGUMENT: 'ERR_INVALID_ARGUMENT',
  TOKEN_INVALID: 'ERR_TOKEN_INVALID',
  TOKEN_EXPIRED: 'ERR_TOKEN_EXPIRED',
  TOKEN_NOT_YET_VALID: 'ERR_TOKEN_NOT_YET_VALID',
  TOKEN_REVOKED: 'ERR_TOKEN_REVOKED',
  TOKEN_TYPE: 'ERR_TOKEN_TYPE',
  TOKEN_CLAIMS: 'ERR_TOKEN_CLAIMS',
  REFRESH_REUSED: 'ERR_REFRESH_REUSED',
  REFRESH_RATE_LIMITED: 'ERR_REFRESH_RATE_LIMITED',
  SCOPE_WIDENED: 'ERR_SCOPE_WIDENED',
  CREDENTIALS_MISSING: 'ERR_CREDENTIALS_MISSING',
  INVALID_REQUEST: 'ERR_INVALID_REQUEST',
  REQUEST_MALFORMED: 'ERR_REQUEST_MALFORMED',
  BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  INSUFFICIENT_SCOPE: 'ERR_INSUFFICIENT_SCOPE',
  STORE_UNAVAILABLE: 'ERR_STORE_UNAVAILABLE',
  STORE_FULL: 'ERR_STORE_FULL',
  KEYSET_UNAVAILABLE: 'ERR_KEYSET_UNAVAILABLE',
  INCOMPATIBLE_CORE: 'ERR_INCOMPATIBLE_CORE',
  // RFC 9449 (DPoP): a token used without the proof of its key, and refused proofs.
  TOKEN_BINDING: 'ERR_TOKEN_BINDING',
  DPOP_PROOF_INVALID: 'ERR_DPOP_PROOF_INVALID',
  DPOP_NONCE: 'ERR_DPOP_NONCE',
  // @covet/oauth2's `OAuthError`, one code per RFC 6749 §5.2 / §4.1.2.1 `error` (and OpenID
  // Connect Core §3.1.2.6's answers to prompt=none).
  OAUTH_INVALID_REQUEST: 'ERR_OAUTH_INVALID_REQUEST',
  OAUTH_INVALID_CLIENT: 'ERR_OAUTH_INVALID_CLIENT',
  OAUTH_INVALID_GRANT: 'ERR_OAUTH_INVALID_GRANT',
  OAUTH_UNAUTHORIZED_CLIENT: 'ERR_OAUTH_UNAUTHORIZED_CLIENT',
  OAUTH_UNSUPPORTED_GRANT_TYPE: 'ERR_OAUTH_UNSUPPORTED_GRANT_TYPE',
  OAUTH_INVALID_SCOPE: 'ERR_OAUTH_INVALID_SCOPE',
  OAUTH_TEMPORARILY_UNAVAILABLE: 'ERR_OAUTH_TEMPORARILY_UNAVAILABLE',
  OAUTH_SERVER_ERROR: 'ERR_OAUTH_SERVER_ERROR',
  OAUTH_UNSUPPORTED_RESPONSE_TYPE: 'ERR_OAUTH_UNSUPPORTED_RESPONSE_TYPE',
  OAUTH_ACCESS_DENIED: 'ERR_OAUTH_ACCESS_DENIED',
  OAUTH_LOGIN_REQUIRED: 'ERR_OAUTH_LOGIN_REQUIRED',
  OAUTH_CONSENT_REQUIRED: 'ERR_OAUTH_CONSENT_REQUIRED',
  // RFC 9449 §5, §8: token endpoint answers to a DPoP proof.
  OAUTH_INVALID_DPOP_PROOF: 'ERR_OAUTH_INVALID_DPOP_PROOF',
  OAUTH_USE_DPOP_NONCE: 'ERR_OAUTH_USE_DPOP_NONCE',
} as const)

/** The stable codes, one per error class (one per RFC 6749 `error` for `OAuthError`). */
export type CovetErrorCode = (typeof COVET_ERROR_CODES)[keyof typeof COVET_ERROR_CODES]

const KNOWN: ReadonlySet<string> = new Set(Object.values(COVET_ERROR_CODES))

/** Whether `code` is one of `COVET_ERROR_CODES`. */
export function isCovetErrorCode(code: unknown): code is CovetErrorCode {
  return typeof code === 'string' && KNOWN.has(code)
}

/** Whether `code` is one of an `OAuthError`'s: an RFC 6749 refusal, not a bearer-token answer. */
export function isOAuthErrorCode(code: CovetErrorCode): boolean {
  return code.startsWith('ERR_OAUTH_')
}
