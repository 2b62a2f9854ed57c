import type { CryptoKey, JWK } from 'jose'
import type { CovetError, CovetErrorCode } from './errors.js'
import type { RevocationStore } from './revocation/store.js'
import type { VerifyFailureReason } from './tokens/failure-reason.js'

/** The two kinds of token Covet issues. */
export type TokenType = 'access' | 'refresh'

/**
 * How long: whole seconds as a number, or a string such as `'250ms'`, `'90s'`, `'15m'`, `'12h'`,
 * `'30d'`. Every duration option of every Covet package takes one; those that count in seconds
 * (token lifetimes, `Max-Age`) refuse a string that is not a whole number of seconds.
 */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}` | `${number}`

/** The claims Covet reads and writes. Unknown claims are kept as they are. */
export interface JwtClaims {
  iss?: string
  sub: string
  aud?: string | string[]
  exp: number
  iat: number
  nbf?: number
  /** Always on Covet's own tokens; another issuer's (`issuers`) may carry none. */
  jti?: string
  roles?: unknown
  permissions?: unknown
  scope?: unknown
  client_id?: unknown
  /** Refresh family id, on both tokens of a pair. */
  fid?: string
  /** RFC 7800 confirmation: `jkt`, the thumbprint of the DPoP key the token is bound to (RFC 9449 §6.1). */
  cnf?: { jkt?: string; [method: string]: unknown }
  [claim: string]: unknown
}

/** A token that passed every check, as `verifyToken` returns it and `getAuth` exposes it. */
export interface VerifiedToken<Claims extends object = Record<never, never>> {
  readonly type: TokenType
  readonly subject: string
  /** The verified `iss`: Covet's own `issuer`, or the `issuers` entry the token came from. */
  readonly issuer: string | undefined
  /**
   * Roles from the `roles` claim; empty when absent or not an array of strings. For another
   * issuer's token, from where its `issuers` entry says (`roles`).
   */
  readonly roles: readonly string[]
  /** Permissions from the `permissions` claim (or as the token's `issuers` entry says), likewise. */
  readonly permissions: readonly string[]
  /**
   * The space-separated `scope` claim as a list (RFC 6749 §3.3); for another issuer's token,
   * `scope`, else `scp` (Entra ID), or as its `issuers` entry says.
   */
  readonly scopes: readonly string[]
  readonly clientId: string | undefined
  /** Always set on Covet's own tokens; `undefined` for another issuer's token without a `jti`. */
  readonly jti: string | undefined
  readonly familyId: string | undefined
  /** `iat` and `exp`, Unix seconds. */
  readonly issuedAt: number
  readonly expiresAt: number
  /** Every claim, the custom ones typed by the configured claims schema's output. */
  readonly claims: Readonly<JwtClaims & Claims>
  /** The raw token, for handlers that must pass it on or revoke it. Never logged by Covet. */
  readonly token: string
}

/** What the holder of a token may do, shared by access and refresh tokens. */
export interface GrantOptions {
  roles?: readonly string[]
  permissions?: readonly string[]
  /** Space-separated scope (RFC 6749 §3.3). */
  scope?: string
  clientId?: string
  /** Extra claims; registered and Covet-reserved claims cannot be overridden here. */
  claims?: Record<string, unknown>
  /**
   * The OAuth 2 grant type the token is issued under (RFC 6749 §4, e.g. `'password'`), told to
   * `token.issued` listeners and metrics; not written into the token. Printable ASCII, no spaces.
   */
  grantType?: string
  /**
   * RFC 9449 §6.1: the JWK SHA-256 thumbprint of the client's DPoP key (a verified proof's `jkt`).
   * The access token carries it as `cnf.jkt` and is then accepted only with a proof of that key.
   */
  dpopJkt?: string
}

export interface PairOptions extends GrantOptions {
  /**
   * RFC 9449 §5: bind the refresh token to `dpopJkt` too, as for public clients (a confidential
   * client's refresh token is bound by its authentication instead). A rotation keeps the binding.
   */
  bindRefreshToken?: boolean
}

export interface CreateTokenOptions extends GrantOptions {
  type?: TokenType
  /** Overrides the configured lifetime for this token. */
  ttl?: Duration
  /** Refresh family to attach the token to. */
  familyId?: string
}

/** An RFC 6749 §5.1-shaped result of issuing or rotating a pair. */
export interface TokenPair {
  readonly accessToken: string
  readonly refreshToken: string
  /** `'DPoP'` when the access token is bound to a DPoP key (RFC 9449 §5). */
  readonly tokenType: 'Bearer' | 'DPoP'
  /** Access token lifetime in seconds. */
  readonly expiresIn: number
  /** Refresh token lifetime in seconds. */
  readonly refreshExpiresIn: number
  /** The granted scope, when there is one. */
  readonly scope: string | undefined
}

export interface VerifyOptions {
  /** Which kind of token is acceptable. Default `'access'`. */
  type?: TokenType | 'any'
}

export interface RefreshOptions {
  /** A narrower scope for the new pair; widening throws `ScopeWidenedError`. */
  scope?: string
  /** When given, the refresh token must have been issued to this client. */
  clientId?: string
  /**
   * The `jkt` of the DPoP proof sent with the refresh (RFC 9449 §5): the new access token is bound
   * to it. A refresh token bound to a key is refused (`TokenBindingError`, and not spent) without
   * a proof of that same key.
   */
  dpopJkt?: string
  /**
   * RFC 9449 §5: also bind the new refresh token to `dpopJkt`, as for a public client. A refresh
   * token already bound stays bound whatever this says; without `dpopJkt` it changes nothing.
   * A value that is not a boolean throws `InvalidArgumentError`, and the token is not spent.
   */
  bindRefreshToken?: boolean
}

export interface RevokeOptions {
  /** Also revoke the token's refresh family. Default: true for refresh tokens, false for access tokens. */
  family?: boolean
  /**
   * Revoke only a token issued to this client (RFC 7009 §2.1). Another client's token is refused
   * with `TokenInvalidError` (`reason: 'claims'`) and nothing is revoked.
   */
  clientId?: string
  /** Revoke only a token of this subject; any other is refused like a foreign client's token. */
  subject?: string
}

export interface RevokeResult {
  readonly type: TokenType
  readonly jti: string
  readonly subject: string
  readonly clientId: string | undefined
  readonly familyRevoked: boolean
}

/** A public JSON Web Key Set (RFC 7517 §5). */
export interface PublicJwkSet {
  keys: PublicJwk[]
}

export interface PublicJwk {
  kty: string
  kid: string
  alg: string
  use: 'sig'
  [member: string]: unknown
}

/** Audit and metrics events. They never carry a raw token or a secret. */
export type CovetEvent =
  | {
      type: 'token.issued'
      tokenType: TokenType
      subject: string
      jti: string
      familyId?: string
      /** The client the token is issued to, when it names one. */
      clientId?: string
      /** `GrantOptions.grantType`; `'refresh_token'` for a rotation. */
      grantType?: string
    }
  | {
      type: 'token.verify_failed'
      code: CovetErrorCode
      reason: VerifyFailureReason
    }
  | { type: 'token.revoked'; jti: string; subject: string; familyRevoked: boolean }
  | { type: 'subject.revoked'; subject: string }
  | { type: 'refresh.rotated'; subject: string; familyId: string; jti: string; clientId?: string }
  | { type: 'refresh.reuse_detected'; subject: string; familyId: string; jti: string; clientId?: string }
  | {
      /** A call to the revocation store failed (it is unreachable, or broken). */
      type: 'store.failed'
      operation: Exclude<keyof RevocationStore, 'close'>
      /** The verification went on as if the token were not revoked (`failOpen`); false: refused (503). */
      failOpen: boolean
    }
  | { type: 'config.warning'; message: string }

export type EventListener = (event: CovetEvent) => void

/** How a verification ended, as told to the function `AuthObserver.onVerify` returned. */
export interface VerifyOutcome {
  /** Answered from the verified-token cache: the signature was not checked again. */
  readonly cached: boolean
  /** The verified token's type; `undefined` when verification failed. */
  readonly tokenType: TokenType | undefined
  /** Why verification failed (never holding the token); `undefined` when it succeeded. */
  readonly error: CovetError | undefined
}

/**
 * Hooks for metrics and tracing, added with `auth.observe` (`@covet/otel` is one such observer).
 * Each is called synchronously and must be quick; one that throws is ignored. Like `onEvent`, they
 * never receive a raw token or a secret.
 */
export interface AuthObserver {
  /** Every event, as the `onEvent` option receives it. */
  onEvent?(event: CovetEvent): void
  /**
   * A verification starts (`verifyToken`, or the refresh token's in `refreshAccessToken`), in the
   * caller's context, where a tracer finds the parent span. Return a function to be told once how
   * it ended, or `undefined` to leave this verification untimed (it then costs nothing more).
   */
  onVerify?(expected: TokenType | 'any'): ((outcome: VerifyOutcome) => void) | undefined
}

/** What `auth.stats()` reports, for gauges. */
export interface AuthStats {
  /** Tokens in the verified-token cache; `undefined` when the cache is off. */
  readonly cacheEntries: number | undefined
  /** Entries in the revocation store, when the store has a numeric `size`; else `undefined`. */
  readonly revocationEntries: number | undefined
  /** Keys that verify but no longer sign, oldest first by `retireAt`. */
  readonly retiringKeys: readonly RetiringKey[]
}

export interface RetiringKey {
  readonly kid: string
  /**
   * Unix time (seconds) from which no token this key signed can still be accepted, so the key may
   * be removed: when it stopped signing (a rotation, or start-up for a key configured beside the
   * signing key) plus the longest token lifetime and the clock tolerance.
   */
  readonly retireAt: number
}

/** The object `createJwtAuth` returns. `Claims` is the output type of the configured claims schema. */
export interface JwtAuth<Claims extends object = Record<never, never>> {
  readonly issuer: string | undefined
  readonly audience: string | readonly string[] | undefined
  /** Access and refresh token lifetimes in seconds. */
  readonly accessTokenTtl: number
  readonly refreshTokenTtl: number
  readonly revocation: RevocationStore
  /** Serve `503` when the store is unreachable (false), or carry on as if not revoked (true). */
  readonly failOpen: boolean

  createToken(subject: string, options?: CreateTokenOptions): Promise<string>
  createTokenPair(subject: string, options?: PairOptions): Promise<TokenPair>
  verifyToken(token: string, options?: VerifyOptions): Promise<VerifiedToken<Claims>>
  /**
   * `verifyToken`, answered without a promise when it can be: a token the verified-token cache
   * holds whose type, lifetime and revocation check pass at once (a store that answers
   * synchronously) is returned as it is; anything else is `verifyToken`'s promise. It never
   * throws: a failure is a rejected promise. `withJwtAuth` serves a cached token this way.
   *
   * @example
   * const verified = auth.verifyTokenNow(token)
   * const who = verified instanceof Promise ? await verified : verified
   */
  verifyTokenNow(
    token: string,
    options?: VerifyOptions,
  ): VerifiedToken<Claims> | Promise<VerifiedToken<Claims>>
  refreshAccessToken(refreshToken: string, options?: RefreshOptions): Promise<TokenPair>
  revokeToken(token: string, options?: RevokeOptions): Promise<RevokeResult>
  /** Revoke every token of `subject` issued until now. */
  revokeSubject(subject: string): Promise<void>
  /** The public JWK Set: asymmetric keys only, public members only. */
  jwks(): PublicJwkSet
  /** Replace the key set (rotation); clears the verified-token cache. */
  updateKeys(keys: KeyInput | readonly KeyInput[]): Promise<void>
  /**
   * Adds hooks for metrics and tracing (see `@covet/otel`); returns the function that removes them.
   *
   * @example
   * const stop = auth.observe({ onEvent: (event) => counts.set(event.type, (counts.get(event.type) ?? 0) + 1) })
   */
  observe(observer: AuthObserver): () => void
  /** Verified-token cache and revocation store occupancy, and the keys waiting to be retired. */
  stats(): AuthStats
}

/**
 * A JSON Web Key (RFC 7517 §4). Typed with jose's `JWK` and `CryptoKey` (the runtime's own when its
 * types are loaded), so that Covet's types compile without the DOM lib.
 */
export type Jwk = JWK & { kid?: string; use?: string }

/** A Web Crypto key pair, such as `crypto.subtle.generateKey` resolves for an asymmetric algorithm. */
export interface CryptoKeyPairInput {
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
}

/** A key in any of the forms Covet accepts. */
export type KeyInput =
  | string
  | Uint8Array
  | CryptoKey
  | CryptoKeyPairInput
  | Jwk
  | {
      /** A secret, PEM, JWK, CryptoKey or CryptoKeyPair. */
      key: string | Uint8Array | CryptoKey | CryptoKeyPairInput | Jwk
      /** Key id; the RFC 7638 thumbprint when omitted. */
      kid?: string
      /** The algorithm this key is pinned to; the configured algorithm when omitted. */
      alg?: string
    }

/** What `AttemptLimiter.consume` answers. */
export interface Attempt {
  /** Whether the attempt may be made. Only an allowed attempt is counted. */
  readonly allowed: boolean
  /** Attempts counted for the key in its window, this one included when allowed. */
  readonly count: number
  /** Seconds until the key's window ends and its count starts again (when a refused key may retry). */
  readonly retryAfter: number
}

/**
 * Limits attempts (logins) per key in a fixed window. An attempt is counted **before** it is made
 * and taken back if it turns out not to be a failure, so concurrent attempts cannot overrun the
 * limit: `consume` must check and count in one atomic step. The OAuth2 token endpoint uses one per
 * username, one per client and, optionally, one per source; the in-memory implementation lives in
 * `@covet/oauth2`, the shared one in `@covet/redis`.
 *
 * @example
 * const attempt = await limiter.consume(key)
 * if (!attempt.allowed) return tooManyRequests(attempt.retryAfter)
 * if (await checkPassword()) await limiter.reset(key) // or refund(key): not a failure
 */
export interface AttemptLimiter {
  /**
   * Count one attempt for `key` unless the limit is reached, atomically. The first counted
   * attempt opens the key's window. A refused attempt is not counted.
   */
  consume(key: string): Promise<Attempt>
  /** Take back one attempt `consume` counted for `key` (it was not made, or it was no failure). */
  refund(key: string): Promise<void>
  /** Forget every attempt counted for `key` (a success that proves the key's owner). */
  reset(key: string): Promise<void>
}
