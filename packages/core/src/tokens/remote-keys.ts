import type { JWTPayload, JWTVerifyOptions } from 'jose'
import type { ResolvedConfig } from '../config.js'
import { TokenInvalidError } from '../errors.js'
import type { RightsReader } from '../issuers/claim-mapping.js'
import { type JwksSettings, type KeyResolver, RemoteJwks } from '../issuers/remote-jwks.js'
import type { TokenRef } from '../revocation/store.js'
import type { TokenType } from '../types.js'
import { stringList, tokenTypeOf } from './claims.js'
import { type CheckedHeader, HeaderMemo, type JoseHeader } from './header-memo.js'
import { JoseOptions, type JoseRules } from './jose-options.js'
import { checkPayload } from './payload.js'
import type { ScopeLists } from './scope-lists.js'

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
 * Key resolution for another issuer's tokens: its remote JWK Set (or shared secret), under the
 * algorithms it may use only. The pipeline verifies with `keyFor` and `options()` itself: a key
 * already known is handed to jose directly, with no `async` frame or function key per token.
 * It then refuses the issuer's ID tokens (see id-token.ts).
 */
export class ForeignSource {
  readonly policy: ForeignPolicy
  /** The key the header's `kid` and `alg` select in the issuer's set, at once when known. */
  readonly keyFor: KeyResolver
  readonly #algorithms: readonly string[]
  readonly #options: JoseOptions
  readonly #maxTokenLength: number
  readonly #headers = new HeaderMemo<object>()

  constructor(
    policy: ForeignPolicy,
    keyFor: KeyResolver,
    algorithms: readonly string[],
    rules: JoseRules,
    maxTokenLength: number,
  ) {
    this.policy = policy
    this.keyFor = keyFor
    this.#algorithms = algorithms
    this.#options = new JoseOptions(rules)
    this.#maxTokenLength = maxTokenLength
  }

  /** Structural pre-check, then the token's header (remembered, or decoded and checked). */
  header(token: string): CheckedHeader<object> {
    return this.#headers.check(token, this.#maxTokenLength, this.#select)
  }

  /** jose's options: this issuer's claims and algorithms. */
  options(): JWTVerifyOptions {
    return this.#options.for(this.#algorithms, '*')
  }

  readonly #select = (header: JoseHeader): object => {
    // RFC 8725 §3.1: only the algorithms configured for this issuer, checked before any key is fetched.
    if (!this.#algorithms.includes(header.alg)) throw new TokenInvalidError('algorithm')
    return NO_SELECTION
  }
}

const NO_SELECTION = Object.freeze({})

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
