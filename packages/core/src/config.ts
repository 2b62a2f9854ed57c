import type { StandardSchemaV1 } from '@standard-schema/spec'
import * as v from 'valibot'
import { ConfigError } from './errors.js'
import type { JwksCache } from './issuers/jwks-cache.js'
import {
  httpUrl,
  type IssuerConfig,
  IssuersSchema,
  JwksCacheSchema,
  type ResolvedIssuer,
  resolveIssuers,
} from './issuers/options.js'
import { ALGORITHMS, type Algorithm } from './keys/algorithms.js'
import { milliseconds, parseOptions, seconds } from './options.js'
import type { RevocationStore } from './revocation/store.js'
import type { Duration, EventListener, KeyInput } from './types.js'

/** Options of `createJwtAuth`. Validated once, at construction. */
export interface JwtAuthConfig<Schema extends StandardSchemaV1 | undefined = undefined> {
  /** Algorithm of the signing key and of keys given without one. Default `'RS256'`. */
  algorithm?: Algorithm
  /** One key or several (rotation: the first signs, all verify). Generated when omitted. */
  keys?: KeyInput | readonly KeyInput[]
  /**
   * Verify another issuer's tokens against its published JWK Set instead of local keys. Needs
   * `audience`; the issuer's OpenID Connect ID tokens are refused (`ERR_TOKEN_TYPE`, `id_token`).
   */
  jwksUri?: string | URL
  /** With `jwksUri`: the algorithms accepted. Default `[algorithm]`. */
  algorithms?: readonly Algorithm[]
  /**
   * How remote JWK Sets (`jwksUri`, `issuers`) are fetched and kept: the least time between two
   * refetches for an unknown `kid` (default `'30s'`), the timeout of a fetch, discovery included
   * (default `'5s'`), the bounds within which a response's `Cache-Control: max-age` is honoured
   * (`cacheMinAge` default `'1m'`, `cacheMaxAge` default `'10m'`, also the age of a set whose
   * response gives none), and how long past its age a set is still used while refetching it
   * fails (`maxStale`, default `'1h'`).
   */
  jwks?: {
    cooldown?: Duration
    timeout?: Duration
    cacheMinAge?: Duration
    cacheMaxAge?: Duration
    maxStale?: Duration
  }
  /**
   * Other authorization servers whose access tokens this API accepts (Auth0, Keycloak, Entra ID,
   * Cognito, …), beside or instead of Covet's own `keys`. A token's unverified `iss` picks its
   * entry; a token of an issuer not listed is verified with `keys`, or refused without them.
   */
  issuers?: readonly IssuerConfig[]
  /**
   * Where fetched JWK Sets are kept across processes (Redis, the Cache API), so a cold start does
   * not refetch them. Default: in memory, per instance.
   */
  jwksCache?: JwksCache
  issuer?: string
  /**
   * The `aud` a token must carry (one of them, for a list). Required with `jwksUri` (RFC 9068 §4):
   * an issuer's ID tokens are audienced to its clients, its access tokens to the API. `false` is
   * the explicit opt-out, for an issuer whose access tokens carry no `aud` (Amazon Cognito): then
   * restrict tokens by other claims. Optional with local keys.
   */
  audience?: string | readonly string[] | false
  /** Default `'15m'`. */
  accessTokenTtl?: Duration
  /** Default `'30d'`. */
  refreshTokenTtl?: Duration
  /** Allowed clock skew for `exp`, `nbf` and `iat`. Default `'5s'`, at most 60 seconds. */
  clockTolerance?: Duration
  /** Longest `exp − iat` accepted for access tokens. Default: `accessTokenTtl`. */
  maxTokenLifetime?: Duration
  /** Where revocations and refresh state live. Default: a new `MemoryRevocationStore`. */
  revocation?: RevocationStore
  /** When the store is unreachable, accept tokens as if not revoked. Default `false` (fail closed). */
  failOpen?: boolean
  /** A Standard Schema (valibot, zod, …) for custom claims; its output types `claims`. */
  claims?: Schema
  /**
   * The verified-token cache. Default on, 10,000 entries. A cached result is shared by every
   * request presenting the same token, so it is frozen; with the cache off each call gets its own.
   * With it, up to 1,024 tokens (each at most 2 KiB) whose signature failed under Covet's own keys
   * are refused again without a signature check, until the keys change.
   */
  cache?: boolean | { maxEntries?: number }
  /** Tokens longer than this are refused before any parsing. Default 8192 characters. */
  maxTokenLength?: number
  /** A repeated refresh within this window gets the same new pair instead of a family revocation. Default 0 (off). */
  refreshGraceWindow?: Duration
  /**
   * Refresh rotations allowed per subject in a fixed window, counted in the revocation store; one
   * more is refused with `RefreshRateLimitedError` (`ERR_REFRESH_RATE_LIMITED`, 429) and leaves the
   * refresh token unspent. `false` turns the limit off. Default `{ limit: 60, window: '1m' }`.
   */
  refreshRateLimit?: { limit: number; window: Duration } | false
  /** Audit and metrics hook; never receives raw tokens or secrets. */
  onEvent?: EventListener
  /** Where warnings go. Default `console.warn`. */
  warn?: (message: string) => void
  /** Milliseconds since the epoch; for tests. Default `Date.now`. */
  clock?: () => number
}

export interface ResolvedConfig {
  algorithm: Algorithm
  jwksUri: URL | undefined
  algorithms: readonly Algorithm[]
  jwks: {
    cooldownMs: number
    timeoutMs: number
    cacheMinAgeMs: number
    cacheMaxAgeMs: number
    maxStaleMs: number
  }
  issuers: readonly ResolvedIssuer[]
  jwksCache: JwksCache | undefined
  issuer: string | undefined
  audience: string | readonly string[] | undefined
  accessTokenTtl: number
  refreshTokenTtl: number
  clockTolerance: number
  maxAccessLifetime: number
  failOpen: boolean
  cacheEntries: number
  maxTokenLength: number
  refreshGraceWindow: number
  /** Rotations per subject per window of `seconds`; `undefined` when off. */
  refreshRateLimit: { limit: number; seconds: number } | undefined
  clock: () => number
  warn: (message: string) => void
  onEvent: EventListener | undefined
}

const fn = () =>
  v.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function')

const ConfigSchema = v.object({
  algorithm: v.optional(v.picklist(ALGORITHMS, `must be one of ${ALGORITHMS.join(', ')}`), 'RS256'),
  keys: v.optional(
    v.custom<KeyInput | readonly KeyInput[]>((value) => value !== null, 'must be a key or an array of keys'),
  ),
  jwksUri: v.optional(httpUrl),
  algorithms: v.optional(
    v.pipe(
      v.array(v.picklist(ALGORITHMS, 'lists an unsupported algorithm')),
      v.minLength(1, 'must not be empty'),
    ),
  ),
  jwks: v.optional(
    v.object({
      cooldown: v.optional(milliseconds(), '30s'),
      timeout: v.optional(milliseconds({ min: '1ms' }), '5s'),
      cacheMinAge: v.optional(milliseconds(), '1m'),
      cacheMaxAge: v.optional(milliseconds(), '10m'),
      maxStale: v.optional(milliseconds(), '1h'),
    }),
    {},
  ),
  issuers: v.optional(IssuersSchema),
  jwksCache: v.optional(JwksCacheSchema),
  issuer: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'))),
  audience: v.optional(
    v.union(
      [
        v.pipe(v.string(), v.minLength(1)),
        v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
        v.literal(false),
      ],
      'must be a non-empty string, a non-empty array of them, or false',
    ),
  ),
  accessTokenTtl: v.optional(seconds(), '15m'),
  refreshTokenTtl: v.optional(seconds(), '30d'),
  clockTolerance: v.optional(seconds({ max: '60s' }), '5s'),
  maxTokenLifetime: v.optional(seconds()),
  revocation: v.optional(
    v.custom<RevocationStore>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        [
          'revoke',
          'revokeFamily',
          'revokeSubject',
          'isRevoked',
          'advanceFamily',
          'countRotation',
          'markUsed',
          'saveRotation',
          'getRotation',
        ].every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
      'must implement RevocationStore',
    ),
  ),
  failOpen: v.optional(v.boolean('must be a boolean'), false),
  claims: v.optional(
    v.custom<StandardSchemaV1>(
      (value) =>
        (typeof value === 'object' || typeof value === 'function') &&
        value !== null &&
        typeof (value as Partial<StandardSchemaV1>)['~standard']?.validate === 'function',
      'must be a Standard Schema (valibot, zod, arktype, …)',
    ),
  ),
  cache: v.optional(
    v.union(
      [
        v.boolean(),
        v.object({
          maxEntries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000_000))),
        }),
      ],
      'must be a boolean or { maxEntries } with a positive integer',
    ),
    true,
  ),
  maxTokenLength: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be an integer'),
      v.minValue(64, 'must be at least 64'),
      v.maxValue(1_048_576, 'must be at most 1 MiB'),
    ),
    8192,
  ),
  refreshGraceWindow: v.optional(seconds({ max: '5m' }), 0),
  refreshRateLimit: v.optional(
    v.union(
      [
        v.literal(false),
        v.object({
          limit: v.pipe(
            v.number('must be a number'),
            v.integer('must be an integer'),
            v.minValue(1, 'must be at least 1'),
          ),
          window: seconds({ min: '1s', max: '1d' }),
        }),
      ],
      'must be false or { limit, window }: a positive integer and a duration from 1 second to 1 day',
    ),
    { limit: 60, window: 60 },
  ),
  onEvent: v.optional(fn()),
  warn: v.optional(fn()),
  clock: v.optional(fn()),
})

/** Validates the whole configuration once. Messages name the field and never echo its value. */
export function resolveConfig(input: unknown): {
  resolved: ResolvedConfig
  keys: unknown
  claims: StandardSchemaV1 | undefined
  revocation: RevocationStore | undefined
} {
  const c = parseOptions(ConfigSchema, input, { renamed: { 'jwks.timeoutMs': 'jwks.timeout' } })
  if (c.jwksUri !== undefined && c.keys !== undefined) {
    throw new ConfigError('jwksUri', 'cannot be combined with keys')
  }
  const algorithms = c.algorithms ?? [c.algorithm]
  if (c.jwksUri !== undefined && algorithms.some((alg) => alg.startsWith('HS'))) {
    throw new ConfigError('algorithms', 'a remote JWK Set cannot be used with HMAC algorithms')
  }
  // RFC 9068 §4: the resource server must check that `aud` names it; without it, the issuer's ID tokens pass.
  if (c.jwksUri !== undefined && c.audience === undefined) {
    throw new ConfigError(
      'audience',
      'is required with jwksUri (RFC 9068 §4): the audience this API expects, or false for an issuer whose access tokens carry none',
    )
  }
  if (c.jwksUri !== undefined && c.issuers !== undefined) {
    throw new ConfigError('issuers', 'cannot be combined with jwksUri: list that issuer in issuers instead')
  }
  if (c.jwks.cacheMinAge > c.jwks.cacheMaxAge) {
    throw new ConfigError('jwks.cacheMinAge', 'must not exceed jwks.cacheMaxAge')
  }
  const cacheEntries = c.cache === false ? 0 : c.cache === true ? 10_000 : (c.cache.maxEntries ?? 10_000)
  return {
    resolved: {
      algorithm: c.algorithm,
      jwksUri: c.jwksUri === undefined ? undefined : new URL(String(c.jwksUri)),
      algorithms,
      jwks: {
        cooldownMs: c.jwks.cooldown,
        timeoutMs: c.jwks.timeout,
        cacheMinAgeMs: c.jwks.cacheMinAge,
        cacheMaxAgeMs: c.jwks.cacheMaxAge,
        maxStaleMs: c.jwks.maxStale,
      },
      issuers: c.issuers === undefined ? [] : resolveIssuers(c.issuers, c.issuer),
      jwksCache: c.jwksCache,
      issuer: c.issuer,
      audience: c.audience === false ? undefined : c.audience,
      accessTokenTtl: c.accessTokenTtl,
      refreshTokenTtl: c.refreshTokenTtl,
      clockTolerance: c.clockTolerance,
      maxAccessLifetime: c.maxTokenLifetime ?? c.accessTokenTtl,
      failOpen: c.failOpen,
      cacheEntries,
      maxTokenLength: c.maxTokenLength,
      refreshGraceWindow: c.refreshGraceWindow,
      refreshRateLimit:
        c.refreshRateLimit === false
          ? undefined
          : { limit: c.refreshRateLimit.limit, seconds: c.refreshRateLimit.window },
      clock: (c.clock as (() => number) | undefined) ?? Date.now,
      warn:
        (c.warn as ((message: string) => void) | undefined) ??
        ((message) => console.warn(`[covet] ${message}`)),
      onEvent: c.onEvent as EventListener | undefined,
    },
    keys: c.keys,
    claims: c.claims,
    revocation: c.revocation,
  }
}
