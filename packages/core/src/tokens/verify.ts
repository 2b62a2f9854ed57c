import type { StandardSchemaV1 } from '@standard-schema/spec'
import { errors, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify } from 'jose'
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
import type { KeySet } from '../keys/key-set.js'
import type { RevocationStore, TokenRef } from '../revocation/store.js'
import type { JwtClaims, TokenType, VerifiedToken } from '../types.js'
import type { VerifiedTokenCache } from './cache.js'
import { stringList, tokenTypeOf } from './claims.js'
import { fromJoseError } from './jose-errors.js'
import { precheck } from './precheck.js'

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
 * registered claims → revocation → custom claims schema. A cache hit skips the first two but
 * re-checks `exp`, `nbf` and revocation.
 */
export async function verify(
  ctx: VerifierContext,
  token: string,
  expected: TokenType | 'any',
  checkRevocation = true,
): Promise<VerifiedToken<object>> {
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
  const header = precheck(token, ctx.config.maxTokenLength)
  const payload = await verifySignatureAndClaims(ctx, token, header.alg, header.kid)
  const type = tokenTypeOf(header.typ, ctx.config.jwksUri !== undefined)
  if (type === undefined || (expected !== 'any' && type !== expected)) throw new TokenTypeError()
  const ref = checkPayload(ctx.config, payload, type)
  // Each `await` costs a microtask turn on the hot path: only wait when the store or the schema is async.
  const pending = checkRevocation ? revocationCheck(ctx, ref) : undefined
  if (pending !== undefined) await pending
  const claims =
    ctx.claims === undefined ? (payload as JwtClaims) : await applyClaimsSchema(ctx.claims, payload)
  const result: VerifiedToken<object> = Object.freeze({
    type,
    subject: ref.sub,
    roles: stringList(payload.roles),
    permissions: stringList(payload.permissions),
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
    clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
    jti: ref.jti,
    familyId: ref.fid,
    issuedAt: ref.iat,
    expiresAt: payload.exp as number,
    claims: Object.freeze(claims),
    token,
  })
  ctx.cache?.set(token, { result, ref, exp: payload.exp as number, nbf: payload.nbf }, generation)
  return result
}

async function verifySignatureAndClaims(
  ctx: VerifierContext,
  token: string,
  alg: string,
  kid: string | undefined,
): Promise<JWTPayload> {
  const { config } = ctx
  try {
    if (ctx.remoteKeys !== undefined) {
      if (!config.algorithms.includes(alg as never)) throw new TokenInvalidError('algorithm')
      const { payload } = await jwtVerify(token, ctx.remoteKeys, joseOptions(config, '*', config.algorithms))
      return payload
    }
    const candidates = ctx.keySet()?.candidates(kid, alg) ?? []
    if (candidates.length === 0) throw new TokenInvalidError(kid === undefined ? 'algorithm' : 'key')
    let lastError: unknown
    for (const key of candidates) {
      try {
        // The key's pinned algorithm is the only one allowed (RFC 8725 §3.1).
        const { payload } = await jwtVerify(token, key.verifyKey, joseOptions(config, key.alg, [key.alg]))
        return payload
      } catch (error) {
        lastError = error
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) break
      }
    }
    throw lastError
  } catch (error) {
    throw error instanceof CovetError ? error : fromJoseError(error)
  }
}

const joseOptionsCache = new WeakMap<ResolvedConfig, Map<string, JWTVerifyOptions>>()

/**
 * jose's options, built once per configuration and algorithm list (`cacheKey` names the list);
 * only a custom clock adds a per-call date.
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

/** Checks jose leaves to the caller: types of `sub`/`jti`/`fid`, `iat` not in the future, maximum lifetime. */
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
  return { jti, sub, iat, fid }
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
