import type { StandardSchemaV1 } from '@standard-schema/spec'
import {
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose'
import type { ResolvedConfig } from '../config.js'
import {
  CovetError,
  StoreUnavailableError,
  TokenClaimsError,
  TokenExpiredError,
  TokenInvalidError,
  TokenNotYetValidError,
  TokenRevokedError,
  TokenTypeError,
} from '../errors.js'
import type { ImportedKey } from '../keys/import.js'
import type { KeySet } from '../keys/key-set.js'
import type { RevocationStore, TokenRef } from '../revocation/store.js'
import type { JwtClaims, TokenType, VerifiedToken } from '../types.js'
import type { VerifiedTokenCache } from './cache.js'
import { stringList, tokenTypeOf } from './claims.js'
import { refuseIdToken } from './id-token.js'
import { fromJoseError } from './jose-errors.js'
import { decodeHeader, isCompactJws, precheck, precheckShape } from './precheck.js'

export interface VerifierContext {
  readonly config: ResolvedConfig
  readonly keySet: () => KeySet | undefined
  readonly remoteKeys: JWTVerifyGetKey | undefined
  readonly store: RevocationStore
  readonly claims: StandardSchemaV1 | undefined
  readonly cache: VerifiedTokenCache | undefined
}

/**
 * The verification pipeline: structural pre-check → signature with the pinned key → `typ` →
 * registered claims → revocation → custom claims schema. A cache hit skips the pre-check, the
 * signature, the `typ` header, the other registered claims (`iss`, `aud`, `sub`, `iat`, lifetime)
 * and the claims schema, all fixed by the token string; it re-checks the expected type, `exp`,
 * `nbf` and revocation, which depend on the call and the time.
 */
export async function verify(
  ctx: VerifierContext,
  token: string,
  expected: TokenType | 'any',
  checkRevocation = true,
  onFailure: (failure: CovetError) => Error = (failure) => failure,
): Promise<VerifiedToken<object>> {
  // Failures are mapped here, in the same frame (nothing but a CovetError leaves): no extra promise on the success path.
  try {
    const cached = ctx.cache?.get(token)
    if (cached !== undefined) {
      if (expected !== 'any' && cached.result.type !== expected) throw new TokenTypeError()
      const now = ctx.config.clock() / 1000
      const tolerance = ctx.config.clockTolerance
      if (now - tolerance >= cached.exp) {
        ctx.cache!.delete(token)
        throw new TokenExpiredError()
      }
      if (cached.nbf !== undefined && now + tolerance < cached.nbf) throw new TokenNotYetValidError()
      const pending = checkRevocation ? revocationCheck(ctx, cached.ref) : undefined
      if (pending !== undefined) await pending
      return cached.result
    }

    // Taken before any await: keys replaced while this verification runs make its result uncacheable.
    const generation = ctx.cache?.generation
    // Only a cached result is handed to more than one caller.
    const shared = ctx.cache !== undefined
    let payload: JWTPayload
    let typ: string | undefined
    if (ctx.remoteKeys === undefined) {
      const checked = checkedHeader(ctx, token)
      const { candidates } = checked
      // The usual case, a `kid` naming one key, is awaited here: one `async` frame fewer per token.
      payload =
        candidates.length === 1
          ? (await jwtVerify(token, candidates[0]!.verifyKey, keyOptions(ctx.config, candidates[0]!))).payload
          : await verifyWithEachCandidate(ctx.config, token, candidates)
      checked.remember?.()
      typ = checked.header.typ
    } else {
      const remote = await verifyWithRemoteKeys(ctx, token, ctx.remoteKeys)
      payload = remote.payload
      typ = remote.typ
    }
    const type = tokenTypeOf(typ, ctx.config.jwksUri !== undefined)
    if (type === undefined || (expected !== 'any' && type !== expected)) throw new TokenTypeError()
    const ref = checkPayload(ctx.config, payload, type)
    // Each `await` costs a microtask turn on the hot path: only wait when the store or the schema is async.
    const pending = checkRevocation ? revocationCheck(ctx, ref) : undefined
    if (pending !== undefined) await pending
    const claims =
      ctx.claims === undefined ? (payload as JwtClaims) : await applyClaimsSchema(ctx.claims, payload)
    const result: VerifiedToken<object> = {
      type,
      subject: ref.sub,
      roles: stringList(payload.roles, shared),
      permissions: stringList(payload.permissions, shared),
      scopes: typeof payload.scope === 'string' ? scopeList(payload.scope) : NO_SCOPES,
      clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
      jti: ref.jti,
      familyId: ref.fid,
      issuedAt: ref.iat,
      expiresAt: payload.exp as number,
      claims,
      token,
    }
    if (shared) {
      // A cached result is shared by every request that presents the same token: none may change it.
      Object.freeze(claims)
      Object.freeze(result)
      ctx.cache!.set(token, { result, ref, exp: payload.exp as number, nbf: payload.nbf }, generation)
    }
    return result
  } catch (error) {
    throw onFailure(fromJoseFailure(token, error))
  }
}

/** RFC 6749 §3.3: scope tokens separated by single spaces; stray empty ones are dropped. */
function scopeList(scope: string): readonly string[] {
  let scopes = scopeLists.get(scope)
  if (scopes === undefined) {
    const parts = scope.split(' ')
    scopes = Object.freeze(parts.includes('') ? parts.filter(Boolean) : parts)
    if (scopeLists.size < MAX_REMEMBERED_SCOPES) scopeLists.set(scope, scopes)
  }
  return scopes
}

const NO_SCOPES: readonly string[] = Object.freeze([])

/** Scope strings repeat across an issuer's tokens: each is split once, into a frozen list shared by every result. */
const scopeLists = new Map<string, readonly string[]>()
const MAX_REMEMBERED_SCOPES = 256

interface CheckedHeader {
  readonly header: ProtectedHeaderParameters & { alg: string }
  /** The keys this header selects: each is tried under its own pinned algorithm only (RFC 8725 §3.1). */
  readonly candidates: readonly ImportedKey[]
  /** Present on a header seen for the first time: remembers it once its token's signature verified. */
  readonly remember?: () => void
}

interface RememberedHeader extends CheckedHeader {
  /** The encoded header segment and the dot after it. */
  readonly prefix: string
}

/**
 * Headers already seen on a correctly signed token, per key set (a key change starts afresh), by
 * their encoded segment. A header segment always decodes to the same header, and an issuer's keys
 * write only a handful of distinct ones: the header of such a token need not be decoded again.
 */
interface RememberedHeaders {
  readonly bySegment: Map<string, RememberedHeader>
  /** The one most recently used: usually every token of an issuer has it, and comparing is cheaper than hashing. */
  last: RememberedHeader | undefined
}

const rememberedHeaders = new WeakMap<KeySet, RememberedHeaders>()

/** Distinct signed headers remembered per key set; only tokens that verified can add one. */
const MAX_REMEMBERED_HEADERS = 64

/** Structural pre-check, then the token's header (remembered, or decoded and checked) with the keys it selects. */
function checkedHeader(ctx: VerifierContext, token: string): CheckedHeader {
  const keySet = ctx.keySet()
  if (keySet === undefined) throw new TokenInvalidError('key')
  let remembered = rememberedHeaders.get(keySet)
  if (remembered === undefined) {
    remembered = { bySegment: new Map(), last: undefined }
    rememberedHeaders.set(keySet, remembered)
  }
  const { last } = remembered
  if (last !== undefined && typeof token === 'string' && token.startsWith(last.prefix)) {
    precheckShape(token, ctx.config.maxTokenLength, last.prefix.length)
    return last
  }
  const headerEnd = precheckShape(token, ctx.config.maxTokenLength)
  const segment = token.slice(0, headerEnd)
  const known = remembered.bySegment.get(segment)
  if (known !== undefined) {
    remembered.last = known
    return known
  }
  const header = Object.freeze(decodeHeader(token))
  const candidates = keySet.candidates(header.kid, header.alg)
  if (candidates.length === 0) throw new TokenInvalidError(header.kid === undefined ? 'algorithm' : 'key')
  const memo = remembered
  return {
    header,
    candidates,
    remember: () => {
      if (memo.bySegment.size >= MAX_REMEMBERED_HEADERS) return
      const entry: RememberedHeader = Object.freeze({ header, candidates, prefix: `${segment}.` })
      memo.bySegment.set(segment, entry)
      memo.last = entry
    },
  }
}

/** Several keys share the token's algorithm and it names none (no `kid`): each is tried in turn. */
async function verifyWithEachCandidate(
  config: ResolvedConfig,
  token: string,
  candidates: readonly ImportedKey[],
): Promise<JWTPayload> {
  let lastError: unknown
  for (const key of candidates) {
    try {
      return (await jwtVerify(token, key.verifyKey, keyOptions(config, key))).payload
    } catch (error) {
      lastError = error
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) break
    }
  }
  throw lastError
}

/** jose's options for one local key: its pinned algorithm is the only one allowed (RFC 8725 §3.1). */
function keyOptions(config: ResolvedConfig, key: ImportedKey): JWTVerifyOptions {
  return joseOptions(config, key.alg, [key.alg])
}

/** A jose failure as a Covet error; a stray character outside the alphabet reaches jose's decoder (see precheckShape) and is still malformed. */
function fromJoseFailure(token: string, error: unknown): CovetError {
  if (error instanceof CovetError) return error
  return isCompactJws(token) ? fromJoseError(error) : new TokenInvalidError('malformed')
}

/** What the pipeline needs from the signature step: the payload and the header's `typ`. */
interface VerifiedParts {
  readonly payload: JWTPayload
  readonly typ: string | undefined
}

async function verifyWithRemoteKeys(
  ctx: VerifierContext,
  token: string,
  remoteKeys: JWTVerifyGetKey,
): Promise<VerifiedParts> {
  const { config } = ctx
  const header = precheck(token, config.maxTokenLength)
  if (!config.algorithms.includes(header.alg as never)) throw new TokenInvalidError('algorithm')
  const { payload } = await jwtVerify(token, remoteKeys, joseOptions(config, '*', config.algorithms))
  // Another issuer signs its ID tokens with the same keys: they are never access tokens (RFC 9068 §4).
  refuseIdToken(payload)
  return { payload, typ: header.typ }
}

const joseOptionsCache = new WeakMap<ResolvedConfig, Map<string, JWTVerifyOptions>>()

/**
 * jose's options, built once per configuration and algorithm list (`cacheKey` names the list) and
 * frozen so they can be shared; only a custom clock adds a per-call date.
 */
function joseOptions(
  config: ResolvedConfig,
  cacheKey: string,
  algorithms: readonly string[],
): JWTVerifyOptions {
  let byAlgorithms = joseOptionsCache.get(config)
  if (byAlgorithms === undefined) {
    byAlgorithms = new Map()
    joseOptionsCache.set(config, byAlgorithms)
  }
  let options = byAlgorithms.get(cacheKey)
  if (options === undefined) {
    options = Object.freeze({
      issuer: config.issuer,
      audience: config.audience as string | string[] | undefined,
      clockTolerance: config.clockTolerance,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      algorithms: [...algorithms],
    })
    byAlgorithms.set(cacheKey, options)
  }
  return config.clock === Date.now ? options : { ...options, currentDate: new Date(config.clock()) }
}

/** Checks jose leaves to the caller: types of `sub`/`jti`/`fid`/`gen`, `iat` not in the future, maximum lifetime. */
function checkPayload(config: ResolvedConfig, payload: JWTPayload, type: TokenType): TokenRef {
  const { sub, jti, iat, exp } = payload
  if (typeof sub !== 'string' || sub.length === 0) throw new TokenInvalidError('subject')
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new TokenInvalidError('payload')
  if (typeof iat !== 'number' || typeof exp !== 'number') throw new TokenInvalidError('payload')
  const now = config.clock() / 1000
  // RFC 7519 §4.1.6: a token issued in the future is not trusted (beyond the clock tolerance).
  if (iat > now + config.clockTolerance) throw new TokenInvalidError('issued_at')
  const maxLifetime = type === 'access' ? config.maxAccessLifetime : config.refreshTokenTtl
  if (exp - iat > maxLifetime) throw new TokenInvalidError('lifetime')
  const fid = payload.fid
  if (fid !== undefined && (typeof fid !== 'string' || fid.length === 0))
    throw new TokenInvalidError('payload')
  if (type !== 'refresh' || fid === undefined) return { jti, sub, iat, fid }
  // A refresh token's family generation; tokens issued before generations existed count as the first.
  const generation = payload.gen ?? 0
  if (!Number.isSafeInteger(generation) || (generation as number) < 0) throw new TokenInvalidError('payload')
  return { jti, sub, iat, fid, generation: generation as number }
}

/** Rejects with `TokenRevokedError` when the store says so; store outages fail closed unless `failOpen`. */
export async function checkRevoked(ctx: VerifierContext, ref: TokenRef): Promise<void> {
  await revocationCheck(ctx, ref)
}

/**
 * `checkRevoked` without a promise when the store answers synchronously (the in-memory store, a
 * store's local cache): throws at once when revoked, returns `undefined` when not.
 */
function revocationCheck(ctx: VerifierContext, ref: TokenRef): Promise<void> | undefined {
  let answer: boolean | Promise<boolean>
  try {
    answer = ctx.store.isRevoked(ref)
  } catch (cause) {
    return storeFailure(ctx, cause)
  }
  if (answer === false) return undefined
  if (answer === true) throw new TokenRevokedError()
  return Promise.resolve(answer).then(
    (revoked) => {
      if (revoked) throw new TokenRevokedError()
    },
    (cause: unknown) => storeFailure(ctx, cause),
  )
}

function storeFailure(ctx: VerifierContext, cause: unknown): undefined {
  if (ctx.config.failOpen) return undefined
  throw cause instanceof StoreUnavailableError ? cause : new StoreUnavailableError(undefined, { cause })
}

async function applyClaimsSchema(
  schema: StandardSchemaV1 | undefined,
  payload: JWTPayload,
): Promise<JwtClaims> {
  if (schema === undefined) return payload as JwtClaims
  let result = schema['~standard'].validate(payload)
  if (result instanceof Promise) result = await result
  if (result.issues !== undefined) {
    const paths = result.issues.map((issue) =>
      (issue.path ?? [])
        .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
        .join('.'),
    )
    throw new TokenClaimsError(paths)
  }
  return { ...payload, ...(result.value as object) } as JwtClaims
}
