/**
 * Every failure Covet reports is a `CovetError` with a stable `code`, on the class (`static code`)
 * and on each instance, one of `COVET_ERROR_CODES`. Switch on `code`, never on `name` or the
 * message (production bundles minify class names). Messages never contain a token, a secret or
 * key material.
 */

import { COVET_ERROR_CODES, type CovetErrorCode, isCovetErrorCode } from './error-codes.js'

export { COVET_ERROR_CODES, type CovetErrorCode } from './error-codes.js'

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
  static readonly code = COVET_ERROR_CODES.CONFIG
  readonly code = ConfigError.code
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
  static readonly code = COVET_ERROR_CODES.INVALID_ARGUMENT
  readonly code = InvalidArgumentError.code
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
  | 'binding'

/** Base of every error that means "this token is not acceptable": HTTP 401 `invalid_token`. */
export abstract class TokenError extends CovetError {
  override readonly status = 401
  override readonly bearerError: BearerErrorCode = 'invalid_token'
  abstract readonly reason: TokenFailureReason

  constructor(message: string, options?: { cause?: unknown }) {
    // A refused token is an answer to a client, not a fault in the program: its stack would only
    // name Covet's own frames, and capturing it took about 5 % of a 401's CPU time (bench:http).
    // (`stackTraceLimit` is V8's and JavaScriptCore's; elsewhere setting it does nothing.)
    const engine = Error as { stackTraceLimit?: number }
    const limit = engine.stackTraceLimit
    engine.stackTraceLimit = 0
    try {
      super(message, options)
    } finally {
      if (limit === undefined) delete engine.stackTraceLimit
      else engine.stackTraceLimit = limit
    }
  }
}

/** The token is malformed, forged, or fails a claim rule. */
export class TokenInvalidError extends TokenError {
  static readonly code = COVET_ERROR_CODES.TOKEN_INVALID
  readonly code = TokenInvalidError.code
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
  static readonly code = COVET_ERROR_CODES.TOKEN_EXPIRED
  readonly code = TokenExpiredError.code
  readonly reason = 'expired'
  constructor(message = 'The token has expired', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The token's `nbf` is still in the future (beyond the clock tolerance). */
export class TokenNotYetValidError extends TokenError {
  static readonly code = COVET_ERROR_CODES.TOKEN_NOT_YET_VALID
  readonly code = TokenNotYetValidError.code
  readonly reason = 'not_yet_valid'
  constructor(message = 'The token is not yet valid', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The token (or its refresh family, or its subject) has been revoked. */
export class TokenRevokedError extends TokenError {
  static readonly code: 'ERR_TOKEN_REVOKED' | 'ERR_REFRESH_REUSED' = COVET_ERROR_CODES.TOKEN_REVOKED
  readonly code: 'ERR_TOKEN_REVOKED' | 'ERR_REFRESH_REUSED' = TokenRevokedError.code
  readonly reason = 'revoked'
  constructor(message = 'The token has been revoked', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** A refresh token was presented a second time: its whole family is now revoked (RFC 9700 §4.14.2). */
export class RefreshTokenReusedError extends TokenRevokedError {
  static override readonly code = COVET_ERROR_CODES.REFRESH_REUSED
  override readonly code = RefreshTokenReusedError.code
  constructor(message = 'The refresh token was already used; its family has been revoked') {
    super(message)
  }
}

/**
 * A subject rotated its refresh tokens more often than `refreshRateLimit` allows: HTTP 429. The
 * refresh token was not spent; the client may retry with it after `retryAfter` seconds.
 */
export class RefreshRateLimitedError extends CovetError {
  static readonly code = COVET_ERROR_CODES.REFRESH_RATE_LIMITED
  readonly code = RefreshRateLimitedError.code
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
  static readonly code = COVET_ERROR_CODES.TOKEN_TYPE
  readonly code = TokenTypeError.code
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
  static readonly code = COVET_ERROR_CODES.TOKEN_CLAIMS
  readonly code = TokenClaimsError.code
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
  static readonly code = COVET_ERROR_CODES.SCOPE_WIDENED
  readonly code = ScopeWidenedError.code
  override readonly status = 400
  constructor(message = 'The requested scope exceeds the scope originally granted') {
    super(message)
  }
}

/** No credentials were presented. RFC 6750 §3.1: the challenge carries no error code. */
export class CredentialsMissingError extends CovetError {
  static readonly code = COVET_ERROR_CODES.CREDENTIALS_MISSING
  readonly code = CredentialsMissingError.code
  override readonly status = 401
  constructor(message = 'Authentication is required') {
    super(message)
  }
}

/** The request is malformed (RFC 6750 §3.1 `invalid_request`): HTTP 400. */
export class InvalidRequestError extends CovetError {
  static readonly code = COVET_ERROR_CODES.INVALID_REQUEST
  readonly code = InvalidRequestError.code
  override readonly status = 400
  override readonly bearerError: BearerErrorCode = 'invalid_request'
}

/**
 * The HTTP request itself is malformed: its URL does not parse, its `Host` is not a valid
 * `host[:port]` or was sent twice, or its target could be read as two different paths. HTTP 400
 * without a Bearer challenge: RFC 9112 §3.2 makes the server refuse it, whatever the credentials.
 */
export class MalformedRequestError extends CovetError {
  static readonly code = COVET_ERROR_CODES.REQUEST_MALFORMED
  readonly code = MalformedRequestError.code
  override readonly status = 400
  constructor(message = 'The request URL or Host header is malformed') {
    super(message)
  }
}

/** A request body is larger than the reader's limit (RFC 9110 §15.5.14): HTTP 413, no challenge. */
export class BodyTooLargeError extends CovetError {
  static readonly code = COVET_ERROR_CODES.BODY_TOO_LARGE
  readonly code = BodyTooLargeError.code
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
  static readonly code = COVET_ERROR_CODES.INSUFFICIENT_SCOPE
  readonly code = InsufficientScopeError.code
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
  static readonly code = COVET_ERROR_CODES.STORE_UNAVAILABLE
  readonly code = StoreUnavailableError.code
  override readonly status = 503
  constructor(message = 'The revocation store is unavailable', options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The in-memory store reached its bound and will not silently forget a revocation. */
export class StoreFullError extends CovetError {
  static readonly code = COVET_ERROR_CODES.STORE_FULL
  readonly code = StoreFullError.code
  override readonly status = 503
  constructor(message = 'The revocation store is full') {
    super(message)
  }
}

/** A remote JSON Web Key Set could not be fetched: HTTP 503 (not the client's fault). */
export class KeySetUnavailableError extends CovetError {
  static readonly code = COVET_ERROR_CODES.KEYSET_UNAVAILABLE
  readonly code = KeySetUnavailableError.code
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
  static readonly code = COVET_ERROR_CODES.INCOMPATIBLE_CORE
  readonly code = IncompatibleCoreError.code
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

/**
 * True for any Covet error: one of this copy's classes, or an error of another copy of
 * `@covet/core` (a bundle, a nested install, another realm), whose class differs but whose `code`
 * is one of `COVET_ERROR_CODES` and whose `status` is a number. An error of anything else, even
 * with an `ERR_` code (Node's own), is not one.
 *
 * @example
 * ```ts
 * catch (error) { if (isCovetError(error) && error.status === 401) return undefined; throw error }
 * ```
 */
export function isCovetError(value: unknown): value is CovetError {
  if (value instanceof CovetError) return true
  if (typeof value !== 'object' || value === null) return false
  const { code, status, message } = value as { code?: unknown; status?: unknown; message?: unknown }
  return isCovetErrorCode(code) && typeof status === 'number' && typeof message === 'string'
}
