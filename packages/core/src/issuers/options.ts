import * as v from 'valibot'
import { ConfigError } from '../errors.js'
import { ALGORITHMS, type Algorithm, isHmac } from '../keys/algorithms.js'
import { seconds } from '../options.js'
import type { Duration } from '../types.js'
import type { ClaimMapping } from './claim-mapping.js'
import type { JwksCache } from './jwks-cache.js'

/** A value a `requiredClaims` entry accepts. */
export type RequiredClaimValue = string | number | boolean

/** One entry of `createJwtAuth({ issuers })`: an authorization server whose access tokens this API accepts. */
export interface IssuerConfig {
  /** The issuer identifier, compared exactly with `iss` (RFC 9068 §4) and with its metadata's `issuer`. */
  issuer: string
  /**
   * The `aud` this API's tokens carry (one of them, for a list); required (RFC 9068 §4). `false`
   * is the explicit opt-out for an issuer whose access tokens carry none (Amazon Cognito, Clerk):
   * restrict them with `requiredClaims` instead.
   */
  audience: string | readonly string[] | false
  /** The issuer's JWK Set. Default: discovered from its metadata (OpenID Connect Discovery, then RFC 8414). */
  jwksUri?: string | URL
  /** Accepted algorithms. Default: every asymmetric one; `['HS256']` with `secret`. */
  algorithms?: readonly Algorithm[]
  /** A shared HMAC secret (Supabase's legacy JWT secret), instead of a JWK Set. */
  secret?: string | Uint8Array
  /** Where roles are read from. Default `'roles'`. */
  roles?: ClaimMapping
  /** Where permissions are read from. Default `'permissions'`. */
  permissions?: ClaimMapping
  /** Where scopes are read from. Default: `scope` (space-separated), else `scp` (a string or an array). */
  scopes?: ClaimMapping
  /** Claims that must hold exactly this value, or one of the values of a list (`{ token_use: 'access' }`). */
  requiredClaims?: Readonly<Record<string, RequiredClaimValue | readonly RequiredClaimValue[]>>
  /** Longest `exp − iat` accepted. Default `'24h'`. */
  maxTokenLifetime?: Duration
  /** Accept only tokens whose header says `typ: at+jwt` (RFC 9068 §2.1). Default `false`: `JWT` or no `typ` too. */
  requireAtJwt?: boolean
}

/** The asymmetric algorithms: a remote JWK Set's default (RFC 8725 §3.1: never an HMAC one). */
export const ASYMMETRIC_ALGORITHMS: readonly Algorithm[] = ALGORITHMS.filter((alg) => !isHmac(alg))

/** Claims other options check: a `requiredClaims` entry for one would fight them. */
const CHECKED_ELSEWHERE = ['iss', 'aud', 'exp', 'nbf', 'iat']

const fn = () =>
  v.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function')

/** An http(s) URL with no user or password (fetch refuses them, and they would reach logs). */
export const httpUrl = v.custom<string | URL>((value) => {
  try {
    const url = new URL(String(value))
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
    )
  } catch {
    return false
  }
}, 'must be an http(s) URL without credentials')

const claimMapping = v.union(
  [
    v.pipe(
      v.string(),
      v.minLength(1),
      v.check(
        (path) => !path.includes('://'),
        "must be an array for a claim whose name has dots, such as ['https://example.com/roles']",
      ),
    ),
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
    fn(),
  ],
  'must be a claim path (a dotted string or an array of claim names) or a function of the claims',
)

const requiredValue = v.union(
  [v.string(), v.number(), v.boolean()],
  'must be a string, a number or a boolean',
)

const IssuerSchema = v.strictObject({
  issuer: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty')),
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
  jwksUri: v.optional(httpUrl),
  algorithms: v.optional(
    v.pipe(
      v.array(v.picklist(ALGORITHMS, 'lists an unsupported algorithm')),
      v.minLength(1, 'must not be empty'),
    ),
  ),
  secret: v.optional(
    v.custom<string | Uint8Array>(
      (value) => (typeof value === 'string' && value.length > 0) || value instanceof Uint8Array,
      'must be a non-empty string or a Uint8Array',
    ),
  ),
  roles: v.optional(claimMapping),
  permissions: v.optional(claimMapping),
  scopes: v.optional(claimMapping),
  requiredClaims: v.optional(
    v.record(
      v.pipe(
        v.string(),
        v.check(
          (claim) => !CHECKED_ELSEWHERE.includes(claim),
          'is checked by its own option, not requiredClaims',
        ),
      ),
      v.union(
        [requiredValue, v.pipe(v.array(requiredValue), v.minLength(1))],
        'must be a string, number or boolean, or a non-empty list of them',
      ),
    ),
  ),
  maxTokenLifetime: v.optional(seconds({ min: '1s' }), '24h'),
  requireAtJwt: v.optional(v.boolean(), false),
})

/** `issuers`: at least one entry. */
export const IssuersSchema = v.pipe(v.array(IssuerSchema), v.minLength(1, 'must not be empty'))

/** `jwksCache`: an object with `load` and `save`. */
export const JwksCacheSchema = v.custom<JwksCache>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<JwksCache>).load === 'function' &&
    typeof (value as Partial<JwksCache>).save === 'function',
  'must be an object with load and save functions',
)

type ParsedIssuer = v.InferOutput<typeof IssuerSchema>

/** An `issuers` entry, checked and with its defaults. */
export interface ResolvedIssuer {
  readonly issuer: string
  readonly audience: string | readonly string[] | undefined
  readonly jwksUri: URL | undefined
  readonly algorithms: readonly Algorithm[]
  readonly secret: string | Uint8Array | undefined
  readonly roles: ClaimMapping | undefined
  readonly permissions: ClaimMapping | undefined
  readonly scopes: ClaimMapping | undefined
  readonly requiredClaims: readonly (readonly [string, readonly RequiredClaimValue[]])[]
  /** Seconds. */
  readonly maxTokenLifetime: number
  readonly requireAtJwt: boolean
}

/**
 * The rules that span fields of an entry or several entries: HMAC only with a `secret` (and a
 * secret only with HMAC, never beside a JWK Set), each issuer once, none that is Covet's own.
 */
export function resolveIssuers(
  entries: readonly ParsedIssuer[],
  ownIssuer: string | undefined,
): ResolvedIssuer[] {
  const seen = new Set<string>()
  return entries.map((entry, index) => {
    const field = (name: string) => `issuers[${index}].${name}`
    // RFC 9068 §4: an issuer's ID tokens are audienced to its clients, its access tokens to the API.
    if (entry.audience === undefined) {
      throw new ConfigError(
        field('audience'),
        'is required (RFC 9068 §4): the audience this API expects, a list of them, or false for an issuer whose access tokens carry none',
      )
    }
    if (seen.has(entry.issuer)) throw new ConfigError(field('issuer'), 'names an issuer listed before')
    seen.add(entry.issuer)
    if (entry.issuer === ownIssuer) {
      throw new ConfigError(
        field('issuer'),
        "is Covet's own issuer (the issuer option): its tokens are verified with keys",
      )
    }
    const algorithms =
      entry.algorithms ?? (entry.secret === undefined ? ASYMMETRIC_ALGORITHMS : ['HS256' as const])
    if (entry.secret === undefined && algorithms.some(isHmac)) {
      // RFC 8725 §3.1: an HMAC algorithm verified with a public key would let anyone who has it sign.
      throw new ConfigError(field('algorithms'), 'lists an HMAC algorithm: HMAC needs a secret')
    }
    if (entry.secret !== undefined) {
      if (entry.jwksUri !== undefined)
        throw new ConfigError(field('secret'), 'cannot be combined with jwksUri')
      if (!algorithms.every(isHmac))
        throw new ConfigError(field('algorithms'), 'must be HMAC algorithms with a secret')
    }
    return {
      issuer: entry.issuer,
      audience: entry.audience === false ? undefined : entry.audience,
      jwksUri: entry.jwksUri === undefined ? undefined : new URL(String(entry.jwksUri)),
      algorithms,
      secret: entry.secret,
      roles: entry.roles as ClaimMapping | undefined,
      permissions: entry.permissions as ClaimMapping | undefined,
      scopes: entry.scopes as ClaimMapping | undefined,
      requiredClaims: Object.entries(entry.requiredClaims ?? {}).map(
        ([claim, value]) => [claim, Array.isArray(value) ? value : [value]] as const,
      ),
      maxTokenLifetime: entry.maxTokenLifetime,
      requireAtJwt: entry.requireAtJwt,
    }
  })
}
