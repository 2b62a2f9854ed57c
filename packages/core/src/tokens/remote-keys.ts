import { type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { ResolvedConfig } from '../config.js'
import { TokenInvalidError } from '../errors.js'
import type { RightsReader } from '../issuers/claim-mapping.js'
import { type JwksSettings, RemoteJwks } from '../issuers/remote-jwks.js'
import type { TokenRef } from '../revocation/store.js'
import type { TokenType } from '../types.js'
import { stringList, tokenTypeOf } from './claims.js'
import { refuseIdToken } from './id-token.js'
import { JoseOptions, type JoseRules } from './jose-options.js'
import { checkPayload } from './payload.js'
import { precheck } from './precheck.js'
import type { ScopeLists } from './scope-lists.js'

/** What the pipeline needs from the signature step: the payload and the header's `typ`. */
export interface VerifiedParts {
  readonly payload: JWTPayload
  readonly typ: string | undefined
}

/** What another issuer's token must satisfy beyond its signature, and how its rights are read. */
export interface ForeignPolicy {
  /** The issuer identifier, when one is expected (`iss` is then checked by jose). */
  readonly issuer: string | undefined
  /** What a header `typ` makes of the token; only access tokens are accepted from another issuer. */
  typeOf(typ: string | undefined): TokenType | undefined
  /** The checks jose leaves to the caller; returns what the revocation store needs. */
  checkPayload(payload: JWTPayload): TokenRef
  readonly roles: RightsReader
  readonly permissions: RightsReader
  readonly scopes: RightsReader
}

/**
 * Key resolution for another issuer's tokens: its remote JWK Set (or shared secret) under the
 * algorithms it may use, then the refusal of its ID tokens, whatever their header says.
 */
export class ForeignSource {
  readonly policy: ForeignPolicy
  readonly #keys: JWTVerifyGetKey
  readonly #algorithms: readonly string[]
  readonly #options: JoseOptions
  readonly #maxTokenLength: number

  constructor(
    policy: ForeignPolicy,
    keys: JWTVerifyGetKey,
    algorithms: readonly string[],
    rules: JoseRules,
    maxTokenLength: number,
  ) {
    this.policy = policy
    this.#keys = keys
    this.#algorithms = algorithms
    this.#options = new JoseOptions(rules)
    this.#maxTokenLength = maxTokenLength
  }

  async verify(token: string): Promise<VerifiedParts> {
    const header = precheck(token, this.#maxTokenLength)
    // RFC 8725 §3.1: only the algorithms configured for this issuer, checked before any key is fetched.
    if (!this.#algorithms.includes(header.alg)) throw new TokenInvalidError('algorithm')
    const { payload } = await jwtVerify(token, this.#keys, this.#options.for(this.#algorithms, '*'))
    // Another issuer signs its ID tokens with the same keys: they are never access tokens (RFC 9068 §4).
    refuseIdToken(payload)
    return { payload, typ: header.typ }
  }
}

/**
 * `createJwtAuth({ jwksUri })`: one remote issuer, held to Covet's own rules (a `jti` and the
 * configured maximum lifetime), its rights read from `roles`, `permissions` and `scope`.
 */
export function jwksUriSource(
  config: ResolvedConfig,
  jwksUri: URL,
  settings: JwksSettings,
  scopes: ScopeLists,
  onKeysRemoved: () => void,
): ForeignSource {
  const jwks = new RemoteJwks({ key: jwksUri.href, jwksUri, issuer: undefined }, settings, onKeysRemoved)
  const policy: ForeignPolicy = {
    issuer: config.issuer,
    typeOf: accessOnly,
    checkPayload: (payload) => checkPayload(config, payload, 'access'),
    roles: (claims, shared) => stringList(claims.roles, shared),
    permissions: (claims, shared) => stringList(claims.permissions, shared),
    scopes: (claims) => scopes.of(claims.scope),
  }
  const rules: JoseRules = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockTolerance,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    clock: config.clock,
  }
  return new ForeignSource(policy, jwks.getKey, config.algorithms, rules, config.maxTokenLength)
}

/** RFC 9068 §2.1 `at+jwt`, or a plain JWT (`JWT`, no `typ`) from an issuer that predates it; never a refresh token. */
export function accessOnly(typ: string | undefined): TokenType | undefined {
  return tokenTypeOf(typ, true) === 'access' ? 'access' : undefined
}
