import { decodeJwt } from 'jose'
import type { ResolvedConfig } from '../config.js'
import { TokenInvalidError } from '../errors.js'
import { defaultScopes, rightsReader } from '../issuers/claim-mapping.js'
import { MemoryJwksCache } from '../issuers/jwks-cache.js'
import type { ResolvedIssuer } from '../issuers/options.js'
import { type JwksSettings, type KeyResolver, RemoteJwks, type VerifyKey } from '../issuers/remote-jwks.js'
import { importKey } from '../keys/import.js'
import type { TokenType } from '../types.js'
import { ACCESS_TOKEN_TYP } from './claims.js'
import { checkForeignPayload } from './payload.js'
import { precheckShape } from './precheck.js'
import { accessOnly, type ForeignPolicy, ForeignSource, jwksUriSource } from './remote-keys.js'
import type { ScopeLists } from './scope-lists.js'

/**
 * The other issuers an instance accepts tokens of: its `issuers`, or its one `jwksUri`; `undefined`
 * for neither. `onKeysRemoved` is told when a refetched set lacks a key it had (cached results
 * verified with that key must go).
 */
export async function foreignKeys(
  config: ResolvedConfig,
  hasLocalKeys: () => boolean,
  scopes: ScopeLists,
  onKeysRemoved: () => void,
): Promise<IssuerKeys | undefined> {
  const settings: JwksSettings = {
    timeoutMs: config.jwks.timeoutMs,
    cooldownMs: config.jwks.cooldownMs,
    minAgeMs: config.jwks.cacheMinAgeMs,
    maxAgeMs: config.jwks.cacheMaxAgeMs,
    maxStaleMs: config.jwks.maxStaleMs,
    cache: config.jwksCache ?? new MemoryJwksCache(),
    clock: config.clock,
    warn: config.warn,
  }
  if (config.jwksUri !== undefined) {
    const source = jwksUriSource(config, config.jwksUri, settings, scopes, onKeysRemoved)
    return new IssuerKeys([source], hasLocalKeys, config.maxTokenLength)
  }
  if (config.issuers.length === 0) return undefined
  const shared = {
    settings,
    clockTolerance: config.clockTolerance,
    maxTokenLength: config.maxTokenLength,
    scopes,
    onKeysRemoved,
  }
  const sources = await Promise.all(
    config.issuers.map((issuer, index) => issuerSource(issuer, index, shared)),
  )
  return new IssuerKeys(sources, hasLocalKeys, config.maxTokenLength)
}

/**
 * Key resolution per issuer: the token's unverified `iss` only picks the entry whose keys and
 * rules then verify it (jose checks that `iss` again, signed). A token of an issuer not listed is
 * Covet's own when the instance has keys, and refused (`issuer`) when it has none.
 */
export class IssuerKeys {
  readonly #byIssuer: ReadonlyMap<string, ForeignSource>
  /** The one source: when the instance has no keys of its own, no payload need be decoded to pick it. */
  readonly #only: ForeignSource | undefined
  readonly #hasLocalKeys: () => boolean
  readonly #maxTokenLength: number

  constructor(sources: readonly ForeignSource[], hasLocalKeys: () => boolean, maxTokenLength: number) {
    this.#byIssuer = new Map(
      sources.flatMap((source) =>
        source.policy.issuer === undefined ? [] : [[source.policy.issuer, source] as const],
      ),
    )
    this.#only = sources.length === 1 ? sources[0] : undefined
    this.#hasLocalKeys = hasLocalKeys
    this.#maxTokenLength = maxTokenLength
  }

  /** The source that verifies `token`; `undefined` when it is for Covet's own keys. */
  select(token: string): ForeignSource | undefined {
    const hasLocalKeys = this.#hasLocalKeys()
    if (this.#only !== undefined && !hasLocalKeys) return this.#only
    precheckShape(token, this.#maxTokenLength)
    const { iss } = decodeJwt(token)
    const source = typeof iss === 'string' ? this.#byIssuer.get(iss) : undefined
    if (source !== undefined || hasLocalKeys) return source
    // RFC 9068 §4: the issuer must be one this resource server trusts.
    throw new TokenInvalidError('issuer')
  }
}

/** One `issuers` entry as a source of verified tokens; an HMAC secret is imported once per algorithm. */
export async function issuerSource(
  issuer: ResolvedIssuer,
  index: number,
  shared: {
    settings: JwksSettings
    clockTolerance: number
    maxTokenLength: number
    scopes: ScopeLists
    onKeysRemoved: () => void
  },
): Promise<ForeignSource> {
  const { settings } = shared
  const policy: ForeignPolicy = {
    issuer: issuer.issuer,
    typeOf: issuer.requireAtJwt ? atJwtOnly : accessOnly,
    checkPayload: (payload) =>
      checkForeignPayload(
        {
          clockTolerance: shared.clockTolerance,
          maxTokenLifetime: issuer.maxTokenLifetime,
          requiredClaims: issuer.requiredClaims,
          clock: settings.clock,
        },
        payload,
      ),
    roles: rightsReader(issuer.roles ?? 'roles', 'names'),
    permissions: rightsReader(issuer.permissions ?? 'permissions', 'names'),
    scopes:
      issuer.scopes === undefined ? defaultScopes(shared.scopes) : rightsReader(issuer.scopes, shared.scopes),
  }
  const keys =
    issuer.secret === undefined
      ? remoteKeys(issuer, shared.settings, shared.onKeysRemoved)
      : await secretKeys(issuer, index)
  return new ForeignSource(
    policy,
    keys,
    issuer.algorithms,
    {
      issuer: issuer.issuer,
      audience: issuer.audience,
      clockTolerance: shared.clockTolerance,
      requiredClaims: ['exp', 'iat', 'sub'],
      clock: settings.clock,
    },
    shared.maxTokenLength,
  )
}

function remoteKeys(issuer: ResolvedIssuer, settings: JwksSettings, onKeysRemoved: () => void): KeyResolver {
  const location = { key: issuer.issuer, jwksUri: issuer.jwksUri, issuer: issuer.issuer }
  return new RemoteJwks(location, settings, onKeysRemoved).getKey
}

/** The shared secret under each configured HMAC algorithm: the header's `alg` picks one of them. */
async function secretKeys(issuer: ResolvedIssuer, index: number): Promise<KeyResolver> {
  const byAlgorithm = new Map<string, VerifyKey>()
  for (const alg of issuer.algorithms) {
    const key = await importKey(issuer.secret!, alg, `issuers[${index}].secret`)
    byAlgorithm.set(alg, key.verifyKey)
  }
  // The algorithm was checked against the list before: a key always exists here.
  return (header) => byAlgorithm.get(header.alg!)!
}

/** RFC 9068 §4: with `requireAtJwt`, the header must say `at+jwt` (the `application/` prefix may be present). */
function atJwtOnly(typ: string | undefined): TokenType | undefined {
  return typ?.toLowerCase().replace(/^application\//, '') === ACCESS_TOKEN_TYP ? 'access' : undefined
}
