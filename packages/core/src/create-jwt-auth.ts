import type { StandardSchemaV1 } from '@standard-schema/spec'
import { type JwtAuthConfig, type ResolvedConfig, resolveConfig } from './config.js'
import { ConfigError, type CovetError, InvalidArgumentError, TokenInvalidError } from './errors.js'
import { generateKey } from './keys/generate.js'
import { importKey } from './keys/import.js'
import { KeySet } from './keys/key-set.js'
import { retirementTimes } from './keys/retirement.js'
import { parseDuration as parseTtl } from './lib/duration.js'
import { endVerify, Observers } from './observers.js'
import { guardStore } from './revocation/guarded-store.js'
import { MemoryRevocationStore } from './revocation/memory-store.js'
import type { RevocationStore } from './revocation/store.js'
import { VerifiedTokenCache } from './tokens/cache.js'
import { signToken } from './tokens/create.js'
import { verifyFailureReason } from './tokens/failure-reason.js'
import { foreignKeys, type IssuerKeys } from './tokens/issuer-keys.js'
import { JoseOptions } from './tokens/jose-options.js'
import { LocalKeys } from './tokens/local-keys.js'
import { rotate } from './tokens/refresh.js'
import { RevocationCheck } from './tokens/revocation-check.js'
import { ScopeLists } from './tokens/scope-lists.js'
import { type VerifierContext, verify, verifyNow } from './tokens/verify.js'
import type {
  AuthObserver,
  AuthStats,
  CovetEvent,
  CreateTokenOptions,
  GrantOptions,
  JwtAuth,
  KeyInput,
  PairOptions,
  PublicJwkSet,
  RefreshOptions,
  RevokeOptions,
  RevokeResult,
  TokenPair,
  TokenType,
  VerifiedToken,
  VerifyOptions,
} from './types.js'

/** The claims type a schema produces, or none. */
export type ClaimsOf<Schema> = Schema extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<Schema> extends object
    ? StandardSchemaV1.InferOutput<Schema>
    : Record<never, never>
  : Record<never, never>

/**
 * Creates the token engine: keys imported once, configuration validated once.
 *
 * @example
 * const auth = await createJwtAuth({ algorithm: 'HS256', keys: process.env.COVET_SECRET, issuer: 'myapp.com' })
 * const pair = await auth.createTokenPair('user123', { roles: ['admin'], scope: 'read' })
 * const token = await auth.verifyToken(pair.accessToken)
 * @see https://www.rfc-editor.org/rfc/rfc8725 JSON Web Token Best Current Practices
 */
export async function createJwtAuth<Schema extends StandardSchemaV1 | undefined = undefined>(
  config: JwtAuthConfig<Schema> = {},
): Promise<JwtAuth<ClaimsOf<Schema>>> {
  const { resolved, keys, claims, revocation } = resolveConfig(config)
  let keySet: KeySet | undefined
  if (resolved.jwksUri !== undefined || (keys === undefined && resolved.issuers.length > 0)) {
    // A resource server for other issuers' tokens only: no keys of its own.
  } else if (keys === undefined) {
    keySet = new KeySet([await generateKey(resolved.algorithm)])
    resolved.warn(
      `no keys configured: generated an ephemeral ${resolved.algorithm} key; tokens will not survive a restart`,
    )
  } else {
    keySet = await importKeySet(keys as KeyInput | readonly KeyInput[], resolved)
  }
  const memos: VerifierMemos = {
    cache: resolved.cacheEntries > 0 ? new VerifiedTokenCache(resolved.cacheEntries) : undefined,
    scopes: new ScopeLists(),
  }
  let auth: CovetJwtAuth<ClaimsOf<Schema>> | undefined
  // A key gone from a remote set takes the cached results verified with it along.
  const foreign = await foreignKeys(
    resolved,
    () => auth!.hasLocalKeys,
    memos.scopes,
    () => memos.cache?.clear(),
  )
  auth = new CovetJwtAuth<ClaimsOf<Schema>>(resolved, keySet, foreign, memos, revocation, claims)
  return auth
}

/** The caches one instance verifies with (none is shared with another instance). */
interface VerifierMemos {
  readonly cache: VerifiedTokenCache | undefined
  readonly scopes: ScopeLists
}

async function importKeySet(keys: KeyInput | readonly KeyInput[], config: ResolvedConfig): Promise<KeySet> {
  const list = Array.isArray(keys) ? (keys as readonly KeyInput[]) : [keys as KeyInput]
  if (list.length === 0) throw new ConfigError('keys', 'must not be empty')
  const imported = await Promise.all(
    list.map((key, index) =>
      importKey(key, config.algorithm, Array.isArray(keys) ? `keys[${index}]` : 'keys'),
    ),
  )
  return new KeySet(imported)
}

class CovetJwtAuth<Claims extends object> implements JwtAuth<Claims> {
  readonly revocation: RevocationStore
  /** The same store, with write failures mapped to `StoreUnavailableError`. */
  readonly #store: RevocationStore
  readonly #config: ResolvedConfig
  readonly #verifier: VerifierContext
  readonly #observers = new Observers()
  /** jose's options for Covet's own tokens, shared by every local key set this instance has. */
  readonly #localOptions: JoseOptions
  #keySet: KeySet | undefined
  #localKeys: LocalKeys | undefined
  /** kid → when that verification-only key may go (see `stats`). */
  #retiring: ReadonlyMap<string, number> = new Map()

  constructor(
    config: ResolvedConfig,
    keySet: KeySet | undefined,
    foreign: IssuerKeys | undefined,
    memos: VerifierMemos,
    revocation: RevocationStore | undefined,
    claims: StandardSchemaV1 | undefined,
  ) {
    this.#config = config
    this.#localOptions = new JoseOptions({
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockTolerance,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clock: config.clock,
    })
    this.#setKeys(keySet)
    this.revocation = revocation ?? new MemoryRevocationStore({ clock: config.clock })
    this.#store = guardStore(this.revocation, (operation) =>
      this.#emit({
        type: 'store.failed',
        operation,
        failOpen: operation === 'isRevoked' && config.failOpen,
      }),
    )
    this.#verifier = {
      config,
      localKeys: () => this.#localKeys,
      foreign,
      revocation: new RevocationCheck(this.#store, config.failOpen),
      claims,
      cache: memos.cache,
      scopes: memos.scopes,
    }
    this.#retiring = retirementTimes(new Map(), keySet, this.#now(), this.#retirementHorizon())
  }

  get issuer() {
    return this.#config.issuer
  }
  /** Whether Covet's own tokens can be verified (keys configured, generated, or set by `updateKeys`). */
  get hasLocalKeys(): boolean {
    return this.#localKeys !== undefined
  }
  get audience() {
    return this.#config.audience
  }
  get accessTokenTtl() {
    return this.#config.accessTokenTtl
  }
  get refreshTokenTtl() {
    return this.#config.refreshTokenTtl
  }
  get failOpen() {
    return this.#config.failOpen
  }

  createToken(subject: string, options: CreateTokenOptions = {}): Promise<string> {
    return this.#createToken(subject, options, undefined)
  }

  /** `createToken`, and the family generation a refresh token of a pair carries. */
  async #createToken(
    subject: string,
    options: CreateTokenOptions,
    generation: number | undefined,
  ): Promise<string> {
    const { token, issued } = await this.#sign(subject, options, generation)
    this.#emit(issued)
    return token
  }

  /** One signed token, and the `token.issued` event to tell once the caller has all it issues. */
  async #sign(
    subject: string,
    options: CreateTokenOptions,
    generation: number | undefined,
  ): Promise<{ token: string; issued: CovetEvent }> {
    const type = options.type ?? 'access'
    const ttlSeconds = this.#ttl(options, type)
    const context = issuedContext(options)
    const signed = await signToken(this.#config, this.#keySet?.signing, subject, {
      ...options,
      ttlSeconds,
      ...(generation === undefined ? {} : { generation }),
    })
    const issued: CovetEvent = {
      type: 'token.issued',
      tokenType: type,
      subject,
      jti: signed.jti,
      ...familyOf(options.familyId),
      ...context,
    }
    return { token: signed.token, issued }
  }

  async createTokenPair(subject: string, options: PairOptions = {}): Promise<TokenPair> {
    return this.#issuePair(subject, options, crypto.randomUUID(), 0)
  }

  verifyToken(token: string, options: VerifyOptions = {}): Promise<VerifiedToken<Claims>> {
    return this.#verifyOrReport(token, options?.type ?? 'access', true) as Promise<VerifiedToken<Claims>>
  }

  verifyTokenNow(
    token: string,
    options: VerifyOptions = {},
  ): VerifiedToken<Claims> | Promise<VerifiedToken<Claims>> {
    const type = options?.type ?? 'access'
    // Observers timing verifications get the promise path, which times it.
    const ends = this.#observers.verifying.length === 0 ? undefined : this.#observers.startVerify(type)
    if (ends !== undefined) {
      return this.#observedVerify(token, type, true, ends) as Promise<VerifiedToken<Claims>>
    }
    return verifyNow(this.#verifier, token, type, this.#onVerifyFailure) as VerifiedToken<Claims>
  }

  /** No extra `async` frame on the hot path: `verify` maps (and this reports) failures in its own frame. */
  #verifyOrReport(
    token: string,
    type: TokenType | 'any',
    checkRevocation: boolean,
  ): Promise<VerifiedToken<object>> {
    // Observers timing verifications: each may decline (not recording), and then this costs no more.
    const ends = this.#observers.verifying.length === 0 ? undefined : this.#observers.startVerify(type)
    if (ends !== undefined) return this.#observedVerify(token, type, checkRevocation, ends)
    return verify(this.#verifier, token, type, checkRevocation, this.#onVerifyFailure)
  }

  async #observedVerify(
    token: string,
    type: TokenType | 'any',
    checkRevocation: boolean,
    ends: Parameters<typeof endVerify>[0],
  ): Promise<VerifiedToken<object>> {
    // Read before verify: its cache lookup happens synchronously, before anything can change the cache.
    const cached = this.#verifier.cache?.has(token) ?? false
    try {
      const result = await verify(this.#verifier, token, type, checkRevocation, this.#onVerifyFailure)
      endVerify(ends, { cached, tokenType: result.type, error: undefined })
      return result
    } catch (error) {
      endVerify(ends, { cached, tokenType: undefined, error: error as CovetError })
      throw error
    }
  }

  readonly #onVerifyFailure = (failure: CovetError): CovetError => {
    if (this.#config.onEvent || this.#observers.listening.length > 0) {
      this.#emit({
        type: 'token.verify_failed',
        code: failure.code,
        reason: verifyFailureReason(failure),
      })
    }
    return failure
  }

  async refreshAccessToken(refreshToken: string, options: RefreshOptions = {}): Promise<TokenPair> {
    // Revocation is checked inside the rotation, after the single-use marker: see rotate().
    const refresh = await this.#verifyOrReport(refreshToken, 'refresh', false)
    return rotate(
      {
        store: this.#store,
        graceWindow: this.#config.refreshGraceWindow,
        refreshTokenTtl: this.#config.refreshTokenTtl,
        clockTolerance: this.#config.clockTolerance,
        rateLimit: this.#config.refreshRateLimit,
        now: () => this.#now(),
        emit: (event) => this.#emit(withClient(event, refresh.clientId)),
        issuePair: (subject, grant, familyId, generation) =>
          this.#issuePair(subject, { ...grant, grantType: 'refresh_token' }, familyId, generation),
        // Without the generation: the compare-and-set just spent this token, its family may still be live.
        checkRevoked: (token) =>
          this.#verifier.revocation.checkAsync({
            jti: token.jti,
            sub: token.subject,
            iat: token.issuedAt,
            fid: token.familyId,
          }),
      },
      refresh,
      options,
    )
  }

  async revokeToken(token: string, options: RevokeOptions = {}): Promise<RevokeResult> {
    // Revocation is idempotent: an already revoked token is revoked again (e.g. its family now).
    // A spent refresh token is revoked too: presenting it anywhere is reuse (RFC 9700 §4.14.2), so
    // its family, the current refresh token included, ends with it.
    const verified = await verify(this.#verifier, token, 'any', false)
    // RFC 7009 §2.1: a client may revoke only its own tokens; checked before anything is written.
    if (options.clientId !== undefined && verified.clientId !== options.clientId)
      throw new TokenInvalidError('claims')
    if (options.subject !== undefined && verified.subject !== options.subject)
      throw new TokenInvalidError('claims')
    const familyRevoked = (options.family ?? verified.type === 'refresh') && verified.familyId !== undefined
    const { jti } = verified
    // Another issuer's token without a jti cannot be named in the store: only its subject can be revoked.
    if (jti === undefined) {
      throw new TokenInvalidError('payload', 'The token carries no jti: revoke its subject instead')
    }
    const tolerance = this.#config.clockTolerance
    if (familyRevoked) {
      // RFC 7009 §2.1: revoking a refresh token also invalidates the access tokens of the same grant.
      // The family's entry covers this token too, and lasts as long as the family's newest token.
      const newest = Math.max(this.#now() + this.#config.refreshTokenTtl, verified.expiresAt)
      await this.#store.revokeFamily(verified.familyId!, newest + tolerance + 1)
    } else {
      // The entry expires with the token it revokes.
      await this.#store.revoke(jti, verified.expiresAt + tolerance)
    }
    this.#emit({ type: 'token.revoked', jti, subject: verified.subject, familyRevoked })
    return {
      type: verified.type,
      jti,
      subject: verified.subject,
      clientId: verified.clientId,
      familyRevoked,
    }
  }

  async revokeSubject(subject: string): Promise<void> {
    if (typeof subject !== 'string' || subject.length === 0) {
      throw new InvalidArgumentError('The subject must be a non-empty string')
    }
    const now = this.#now()
    const longest = Math.max(
      this.#config.refreshTokenTtl,
      this.#config.maxAccessLifetime,
      // Other issuers' tokens of the subject live as long as their entries allow.
      ...this.#config.issuers.map((issuer) => issuer.maxTokenLifetime),
    )
    await this.#store.revokeSubject(subject, now, now + longest + this.#config.clockTolerance)
    this.#emit({ type: 'subject.revoked', subject })
  }

  jwks(): PublicJwkSet {
    return this.#keySet?.jwks() ?? { keys: [] }
  }

  async updateKeys(keys: KeyInput | readonly KeyInput[]): Promise<void> {
    if (this.#config.jwksUri !== undefined) throw new ConfigError('keys', 'cannot be set with jwksUri')
    this.#setKeys(await importKeySet(keys, this.#config))
    this.#verifier.cache?.clear()
    this.#retiring = retirementTimes(this.#retiring, this.#keySet, this.#now(), this.#retirementHorizon())
  }

  observe(observer: AuthObserver): () => void {
    return this.#observers.add(observer)
  }

  stats(): AuthStats {
    const size = (this.revocation as { size?: unknown }).size
    return {
      cacheEntries: this.#verifier.cache?.size,
      revocationEntries: typeof size === 'number' ? size : undefined,
      retiringKeys: [...this.#retiring]
        .map(([kid, retireAt]) => ({ kid, retireAt }))
        .sort((a, b) => a.retireAt - b.retireAt),
    }
  }

  /** Replaces the local key set; headers remembered for the old one are forgotten with it. */
  #setKeys(keySet: KeySet | undefined): void {
    this.#keySet = keySet
    this.#localKeys =
      keySet === undefined
        ? undefined
        : new LocalKeys(keySet, this.#localOptions, this.#config.maxTokenLength)
  }

  /** The longest a token stays acceptable after it is signed: a key retires that long after it stops signing. */
  #retirementHorizon(): number {
    const c = this.#config
    return Math.max(c.refreshTokenTtl, c.maxAccessLifetime) + c.clockTolerance
  }

  async #issuePair(
    subject: string,
    pair: PairOptions,
    familyId: string,
    generation: number,
  ): Promise<TokenPair> {
    const { bindRefreshToken, ...grant } = pair
    if (bindRefreshToken !== undefined && typeof bindRefreshToken !== 'boolean')
      throw new InvalidArgumentError('bindRefreshToken must be a boolean')
    // RFC 9449 §5: the refresh token is bound only when asked (public clients).
    const refreshGrant = bindRefreshToken ? grant : { ...grant, dpopJkt: undefined }
    const [access, refresh] = await Promise.all([
      this.#sign(subject, { ...grant, type: 'access', familyId }, undefined),
      this.#sign(subject, { ...refreshGrant, type: 'refresh', familyId }, generation),
    ])
    // Signed side by side, told in one order: the access token first, whichever finished first.
    this.#emit(access.issued)
    this.#emit(refresh.issued)
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      tokenType: grant.dpopJkt === undefined ? 'Bearer' : 'DPoP',
      expiresIn: this.#config.accessTokenTtl,
      refreshExpiresIn: this.#config.refreshTokenTtl,
      scope: grant.scope,
    }
  }

  #ttl(options: CreateTokenOptions, type: 'access' | 'refresh'): number {
    if (options.ttl === undefined)
      return type === 'access' ? this.#config.accessTokenTtl : this.#config.refreshTokenTtl
    const seconds = parseTtl(options.ttl)
    const max = type === 'access' ? this.#config.maxAccessLifetime : this.#config.refreshTokenTtl
    if (seconds === undefined || seconds < 1 || seconds > max) {
      throw new InvalidArgumentError(`ttl must be a duration between 1 second and ${max} seconds`)
    }
    return seconds
  }

  #now(): number {
    return Math.floor(this.#config.clock() / 1000)
  }

  #emit(event: CovetEvent): void {
    const listener = this.#config.onEvent
    if (listener !== undefined) {
      try {
        listener(event)
      } catch {
        // A failing audit hook must not change the outcome of authentication.
      }
    }
    this.#observers.emit(event)
  }
}

function familyOf(familyId: string | undefined): { familyId?: string } {
  return familyId === undefined ? {} : { familyId }
}

/** A rotation or reuse event naming the refresh token's client: who triggered it (a metrics attribute). */
function withClient(event: CovetEvent, clientId: string | undefined): CovetEvent {
  if (clientId === undefined) return event
  return event.type === 'refresh.rotated' || event.type === 'refresh.reuse_detected'
    ? { ...event, clientId }
    : event
}

/** The client and grant a `token.issued` event names; a grant type must be printable ASCII (it becomes a metric attribute). */
function issuedContext(options: GrantOptions): { clientId?: string; grantType?: string } {
  const { clientId, grantType } = options
  if (grantType !== undefined && (typeof grantType !== 'string' || !/^[\x21-\x7E]{1,256}$/.test(grantType))) {
    throw new InvalidArgumentError('grantType must be 1 to 256 printable ASCII characters without spaces')
  }
  return {
    ...(typeof clientId === 'string' ? { clientId } : {}),
    ...(grantType === undefined ? {} : { grantType }),
  }
}
