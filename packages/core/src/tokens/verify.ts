import type { StandardSchemaV1 } from '@standard-schema/spec'
import { errors, type JWTPayload, jwtVerify } from 'jose'
import type { ResolvedConfig } from '../config.js'
import {
  CovetError,
  TokenExpiredError,
  TokenInvalidError,
  TokenNotYetValidError,
  TokenTypeError,
} from '../errors.js'
import type { JwtClaims, TokenType, VerifiedToken } from '../types.js'
import type { CachedToken, VerifiedTokenCache } from './cache.js'
import { stringList, tokenTypeOf } from './claims.js'
import { applyClaimsSchema } from './claims-schema.js'
import { refuseIdToken } from './id-token.js'
import type { IssuerKeys } from './issuer-keys.js'
import { fromJoseError } from './jose-errors.js'
import type { LocalKeys } from './local-keys.js'
import { checkPayload } from './payload.js'
import { isCompactJws } from './precheck.js'
import type { RevocationCheck } from './revocation-check.js'
import type { ScopeLists } from './scope-lists.js'

/** Everything one `JwtAuth` verifies with; the memos in it belong to that instance alone. */
export interface VerifierContext {
  readonly config: ResolvedConfig
  /** Covet's own keys as they are now (`updateKeys` replaces them); `undefined` with `jwksUri`. */
  readonly localKeys: () => LocalKeys | undefined
  /** Other issuers' keys (`issuers`, or `jwksUri`); `undefined` when only Covet's own tokens are accepted. */
  readonly foreign: IssuerKeys | undefined
  readonly revocation: RevocationCheck
  readonly claims: StandardSchemaV1 | undefined
  readonly cache: VerifiedTokenCache | undefined
  readonly scopes: ScopeLists
}

/**
 * The verification pipeline: structural pre-check → the token's source (Covet's own keys, or the
 * issuer its unverified `iss` names) → signature with the key that source pins → `typ` →
 * registered claims → revocation → custom claims schema → the rights, as the source reads them. A cache hit skips the pre-check, the
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
  // Set before the signature is checked (see below): the cache's generation, and whether Covet's own keys check it.
  let generation: number | undefined
  let ownKeys = false
  // Failures are mapped here, in the same frame (nothing but a CovetError leaves): no extra promise on the success path.
  try {
    // 1. A cached result: only what depends on the call and the time is checked again.
    const hit = ctx.cache?.get(token)
    if (hit !== undefined) {
      const pending = recheckCached(ctx, token, hit, expected, checkRevocation)
      if (pending !== undefined) await pending
      return hit.result
    }

    // Taken before any await: keys replaced while this verification runs make its result uncacheable.
    generation = ctx.cache?.generation
    // Only a cached result is handed to more than one caller.
    const shared = ctx.cache !== undefined

    // 2. The signature, with the key the token's source designates (local-keys.ts, issuer-keys.ts).
    const source = ctx.foreign?.select(token)
    let payload: JWTPayload
    let typ: string | undefined
    if (source === undefined) {
      // A token whose signature already failed under these keys fails again: refused from memory.
      if (ctx.cache?.isRefused(token)) throw new TokenInvalidError('signature')
      const keys = ctx.localKeys()
      if (keys === undefined) throw new TokenInvalidError('key')
      ownKeys = true
      const checked = keys.header(token)
      const { candidates } = checked
      // The usual case, a `kid` naming one key, is awaited here: one `async` frame fewer per token.
      payload =
        candidates.length === 1
          ? (await jwtVerify(token, candidates[0]!.verifyKey, keys.options(candidates[0]!))).payload
          : await keys.verifyWithEach(token, candidates)
      checked.remember?.()
      typ = checked.header.typ
    } else {
      const checked = source.header(token)
      // A known key (the usual case) is handed over as it is: no promise, no function key for jose to call.
      let key = source.keyFor(checked.header)
      if (key instanceof Promise) key = await key
      payload = (await jwtVerify(token, key, source.options())).payload
      // Another issuer signs its ID tokens with the same keys: they are never access tokens (RFC 9068 §4).
      refuseIdToken(payload)
      checked.remember?.()
      typ = checked.header.typ
    }

    // 3. The token's type (RFC 9068 §2.1), then the registered claims jose leaves to us (payload.ts).
    const type = source === undefined ? tokenTypeOf(typ, false) : source.policy.typeOf(typ)
    if (type === undefined || (expected !== 'any' && type !== expected)) throw new TokenTypeError()
    const ref =
      source === undefined ? checkPayload(ctx.config, payload, type) : source.policy.checkPayload(payload)

    // 4. Revocation (revocation-check.ts). Each `await` costs a microtask turn on the hot path: only wait when the store is async.
    const pending = checkRevocation ? ctx.revocation.check(ref) : undefined
    if (pending !== undefined) await pending

    // 5. The custom claims schema (claims-schema.ts), then the result, with rights as the source reads them.
    const claims =
      ctx.claims === undefined ? (payload as JwtClaims) : await applyClaimsSchema(ctx.claims, payload)
    const policy = source?.policy
    const result: VerifiedToken<object> = {
      type,
      subject: ref.sub,
      issuer: typeof payload.iss === 'string' ? payload.iss : undefined,
      roles: policy === undefined ? stringList(payload.roles, shared) : policy.roles(claims, shared),
      permissions:
        policy === undefined ? stringList(payload.permissions, shared) : policy.permissions(claims, shared),
      scopes: policy === undefined ? ctx.scopes.of(payload.scope) : policy.scopes(claims, shared),
      clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
      jti: ref.jti,
      familyId: ref.fid,
      issuedAt: ref.iat,
      expiresAt: payload.exp as number,
      claims,
      token,
    }

    // 6. Into the cache: a cached result is shared by every request that presents the same token, so none may change it.
    if (shared) {
      Object.freeze(claims)
      Object.freeze(result)
      ctx.cache!.set(token, { result, ref, exp: payload.exp as number, nbf: payload.nbf }, generation)
    }
    return result
  } catch (error) {
    const failure = fromJoseFailure(token, error)
    // A compact JWS whose signature Covet's own keys refused would be refused again: remembered.
    if (ownKeys && error instanceof errors.JWSSignatureVerificationFailed && isSignatureFailure(failure)) {
      ctx.cache?.refuse(token, generation)
    }
    throw onFailure(failure)
  }
}

/**
 * `verify` without a promise where the verified-token cache answers at once: a hit whose checks
 * (type, lifetime, a store that answers synchronously) pass is the result itself. Anything else
 * (a miss, a failed check, an asynchronous store) is `verify`'s promise; it never throws.
 */
export function verifyNow(
  ctx: VerifierContext,
  token: string,
  expected: TokenType | 'any',
  onFailure: (failure: CovetError) => Error = (failure) => failure,
): VerifiedToken<object> | Promise<VerifiedToken<object>> {
  const hit = ctx.cache?.get(token)
  if (hit === undefined) return verify(ctx, token, expected, true, onFailure)
  let pending: Promise<void> | undefined
  try {
    pending = recheckCached(ctx, token, hit, expected, true)
  } catch (error) {
    return Promise.reject(onFailure(fromJoseFailure(token, error)))
  }
  if (pending === undefined) return hit.result
  return pending.then(
    () => hit.result,
    (error: unknown) => {
      throw onFailure(fromJoseFailure(token, error))
    },
  )
}

/**
 * What a cache hit checks again, because it depends on the call and the time: the expected type,
 * `exp` (an expired entry is dropped), `nbf`, then revocation (a promise when the store is async).
 */
function recheckCached(
  ctx: VerifierContext,
  token: string,
  hit: CachedToken,
  expected: TokenType | 'any',
  checkRevocation: boolean,
): Promise<void> | undefined {
  if (expected !== 'any' && hit.result.type !== expected) throw new TokenTypeError()
  const now = ctx.config.clock() / 1000
  const tolerance = ctx.config.clockTolerance
  if (now - tolerance >= hit.exp) {
    ctx.cache!.delete(token)
    throw new TokenExpiredError()
  }
  if (hit.nbf !== undefined && now + tolerance < hit.nbf) throw new TokenNotYetValidError()
  return checkRevocation ? ctx.revocation.check(hit.ref) : undefined
}

function isSignatureFailure(failure: CovetError): boolean {
  return failure instanceof TokenInvalidError && failure.reason === 'signature'
}

/** A jose failure as a Covet error; a stray character outside the alphabet reaches jose's decoder (see precheckShape) and is still malformed. */
function fromJoseFailure(token: string, error: unknown): CovetError {
  if (error instanceof CovetError) return error
  return isCompactJws(token) ? fromJoseError(error) : new TokenInvalidError('malformed')
}
