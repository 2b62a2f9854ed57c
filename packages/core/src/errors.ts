/**
 * Every failure Covet reports is a `CovetError` with a stable `code`. Switch on `code`, never on
 * `name` or the message (production bundles minify class names). Messages never contain a token,
 * a secret or key material.
 */

/** The stable codes, one per error class. */
export type CovetErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_TOKEN_REVOKED'
  | 'ERR_TOKEN_TYPE'
  | 'ERR_TOKEN_CLAIMS'
  | 'ERR_REFRESH_REUSED'
  | 'ERR_REFRESH_RATE_LIMITED'
  | 'ERR_SCOPE_WIDENED'
  | 'ERR_CREDENTIALS_MISSING'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_REQUEST_MALFORMED'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_STORE_FULL'
  | 'ERR_KEYSET_UNAVAILABLE'
  | 'ERR_INCOMPATIBLE_CORE'

/** RFC 6750 §3.1 error codes (`undefined`: no credentials were presented, so no code is sent). */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

export abstract class CovetError extends Error {
  /** A stable, machine-readable code. */
  abstract readonly code: CovetErrorCode
  /** The HTTP status this failure maps to when it reaches `withJwtAuth`. */
  readonly status: number = 500
  /** The RFC 6750 error code for the `WWW-Authenticate` challenge, if any. */
  readonly bearerError: BearerErrorCode | undefined = undefined

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** The configuration given to a factory is invalid. `field` names the offending option. */
export class ConfigError extends CovetError {
  readonly code = 'ERR_CONFIG'
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options)
  }
}

/** An argument to a method call is invalid (a programming error, not a bad token). */
export class InvalidArgumentError extends CovetError {
  readonly code = 'ERR_INVALID_ARGUMENT'
}

/** Why a token was refused, safe to log and to count. */
export type TokenFailureReason =
  | 'malformed'
  | 'too_large'
  | 'header'
  | 'algorithm'
  | 'key'
  | 'signature'
  | 'payload'
  | 'issuer'
  | 'audience'
  | 'subject'
  | 'issued_at'
  | 'lifetime'
  | 'claims'
  | 'expired'
  | 'not_yet_valid'
  | 'type'
  | 'id_token'
  | 'revoked'

/** Base of every error that means "this token is not acceptable": HTTP 401 `invalid_token`. */
export abstract class TokenError extends CovetError {
  override readonly status = 401
  override readonly bearerError: BearerErrorCode = 'invalid_token'
  abstract readonly reason: TokenFailureReason
}

/** The token is malformed, forged, or fails a claim rule. */
export class TokenInvalidError extends TokenError {
  readonly code = 'ERR_TOKEN_INVALID'
  constructor(
    readonly reason: TokenFailureReason = 'malformed',
    message = 'The token is invalid',
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** The token's `exp` has passed (beyond the clock tolerance): the client should refresh. */
export class TokenExpiredError extends TokenError {
  readonly code = 'ERR_TOKEN_EXPIRED'
  readonly reason = 'expired'
  constructor(message = 'The token has expired', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The token's `nbf` is still in the future (beyond the clock tolerance). */
export class TokenNotYetValidError extends TokenError {
  readonly code = 'ERR_TOKEN_NOT_YET_VALID'
  readonly reason = 'not_yet_valid'
  constructor(message = 'The token is not yet valid', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The token (or its refresh family, or its subject) has been revoked. */
export class TokenRevokedError extends TokenError {
  readonly code: 'ERR_TOKEN_REVOKED' | 'ERR_REFRESH_REUSED' = 'ERR_TOKEN_REVOKED'
  readonly reason = 'revoked'
  constructor(message = 'The token has been revoked', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** A refresh token was presented a second time: its whole family is now revoked (RFC 9700 §4.14.2). */
export class RefreshTokenReusedError extends TokenRevokedError {
  override readonly code = 'ERR_REFRESH_REUSED'
  constructor(message = 'The refresh token was already used; its family has been revoked') {
    super(message)
  }
}

/**
 * A subject rotated its refresh tokens more often than `refreshRateLimit` allows: HTTP 429. The
 * refresh token was not spent; the client may retry with it after `retryAfter` seconds.
 */
export class RefreshRateLimitedError extends CovetError {
  readonly code = 'ERR_REFRESH_RATE_LIMITED'
  override readonly status = 429
  constructor(
    /** Seconds until the subject's window ends. */
    readonly retryAfter: number,
    message = 'Too many refreshes; retry later',
  ) {
    super(message)
  }
}

/**
 * A token of the wrong kind was presented: a refresh token where an access token is expected
 * (`reason: 'type'`), or an OpenID Connect ID token from a remote issuer (`reason: 'id_token'`).
 */
export class TokenTypeError extends TokenError {
  readonly code = 'ERR_TOKEN_TYPE'
  readonly reason: 'type' | 'id_token'
  constructor(
    message = 'The token is not of the expected type',
    options?: { cause?: unknown; reason?: 'type' | 'id_token' },
  ) {
    super(message, options)
    this.reason = options?.reason ?? 'type'
  }
}

/** The token's custom claims do not satisfy the configured claims schema. */
export class TokenClaimsError extends TokenError {
  readonly code = 'ERR_TOKEN_CLAIMS'
  readonly reason = 'claims'
  constructor(
    /** Paths of the failing claims (never their values). */
    readonly paths: readonly string[] = [],
    message = 'The token claims are invalid',
  ) {
    super(message)
  }
}

/** A refresh asked for a scope the original grant did not include. */
export class ScopeWidenedError extends CovetError {
  readonly code = 'ERR_SCOPE_WIDENED'
  override readonly status = 400
  constructor(message = 'The requested scope exceeds the scope originally granted') {
    super(message)
  }
}

/** No credentials were presented. RFC 6750 §3.1: the challenge carries no error code. */
export class CredentialsMissingError extends CovetError {
  readonly code = 'ERR_CREDENTIALS_MISSING'
  override readonly status = 401
  constructor(message = 'Authentication is required') {
    super(message)
  }
}

/** The request is malformed (RFC 6750 §3.1 `invalid_request`): HTTP 400. */
export class InvalidRequestError extends CovetError {
  readonly code = 'ERR_INVALID_REQUEST'
  override readonly status = 400
  override readonly bearerError: BearerErrorCode = 'invalid_request'
}

/**
 * The HTTP request itself is malformed: its URL does not parse, its `Host` is not a valid
 * `host[:port]` or was sent twice, or its target could be read as two different paths. HTTP 400
 * without a Bearer challenge: RFC 9112 §3.2 makes the server refuse it, whatever the credentials.
 */
export class MalformedRequestError extends CovetError {
  readonly code = 'ERR_REQUEST_MALFORMED'
  override readonly status = 400
  constructor(message = 'The request URL or Host header is malformed') {
    super(message)
  }
}

/** A request body is larger than the reader's limit (RFC 9110 §15.5.14): HTTP 413, no challenge. */
export class BodyTooLargeError extends CovetError {
  readonly code = 'ERR_BODY_TOO_LARGE'
  override readonly status = 413
  constructor(
    /** The limit that was exceeded, in bytes. */
    readonly limit: number,
    message = `The request body is larger than ${limit} bytes`,
  ) {
    super(message)
  }
}

/** The token is valid but lacks the rights the resource needs (RFC 6750 §3.1): HTTP 403. */
export class InsufficientScopeError extends CovetError {
  readonly code = 'ERR_INSUFFICIENT_SCOPE'
  override readonly status = 403
  override readonly bearerError: BearerErrorCode = 'insufficient_scope'
  constructor(
    /** What the resource requires, as it should appear in the challenge's `scope` attribute. */
    readonly required: readonly string[] = [],
    message = 'The token does not grant access to this resource',
  ) {
    super(message)
  }
}

/** The revocation store could not be reached; verification fails closed: HTTP 503. */
export class StoreUnavailableError extends CovetError {
  readonly code = 'ERR_STORE_UNAVAILABLE'
  override readonly status = 503
  constructor(message = 'The revocation store is unavailable', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The in-memory store reached its bound and will not silently forget a revocation. */
export class StoreFullError extends CovetError {
  readonly code = 'ERR_STORE_FULL'
  override readonly status = 503
  constructor(message = 'The revocation store is full') {
    super(message)
  }
}

/** A remote JSON Web Key Set could not be fetched: HTTP 503 (not the client's fault). */
export class KeySetUnavailableError extends CovetError {
  readonly code = 'ERR_KEYSET_UNAVAILABLE'
  override readonly status = 503
  constructor(message = 'The key set is unavailable', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/**
 * Two copies of `@covet/core` that keep request state in different shapes are loaded in one
 * process, so `getAuth` in one would not see what `withJwtAuth` in the other verified. Thrown by
 * `withJwtAuth` when it wraps a handler, and by any read of a request the other copy wrote.
 */
export class IncompatibleCoreError extends CovetError {
  readonly code = 'ERR_INCOMPATIBLE_CORE'
  constructor(
    /** The request-state protocol of each copy loaded, in ascending order. */
    readonly protocols: readonly number[],
  ) {
    super(
      `Two copies of @covet/core that keep request state differently are loaded (protocols ${protocols.join(' and ')}), ` +
        'so one would not see the identity the other verified. Install a single @covet/core: ' +
        '`npm ls @covet/core` shows where the copies come from.',
    )
  }
}

/** True for any Covet error, across realms and bundles (checks the code, not the class). */
export function isCovetError(value: unknown): value is CovetError {
  return (
    value instanceof CovetError ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { code?: unknown }).code === 'string' &&
      (value as { code: string }).code.startsWith('ERR_') &&
      typeof (value as { status?: unknown }).status === 'number')
  )
}
