import { TokenBindingError } from '../dpop/errors.js'
import { boundThumbprint } from '../dpop/resource.js'
import {
  InvalidArgumentError,
  RefreshRateLimitedError,
  RefreshTokenReusedError,
  ScopeWidenedError,
  TokenInvalidError,
} from '../errors.js'
import type { RevocationStore } from '../revocation/store.js'
import type { CovetEvent, PairOptions, RefreshOptions, TokenPair, VerifiedToken } from '../types.js'
import { grantOf, thumbprint } from './create.js'

export interface RotationContext {
  readonly store: RevocationStore
  readonly graceWindow: number
  readonly refreshTokenTtl: number
  /** Seconds a token is still accepted after its exp: state about it must outlive that too. */
  readonly clockTolerance: number
  /** Rotations allowed per subject in a window of `seconds`; `undefined`: no limit. */
  readonly rateLimit: { readonly limit: number; readonly seconds: number } | undefined
  readonly now: () => number
  readonly emit: (event: CovetEvent) => void
  readonly issuePair: (
    subject: string,
    grant: PairOptions,
    familyId: string,
    generation: number,
  ) => Promise<TokenPair>
  /** Rejects with `TokenRevokedError` when the token, its family or its subject is revoked. */
  readonly checkRevoked: (token: VerifiedToken<object>) => Promise<void>
}

/**
 * Rotation on every use. Each refresh token carries its family's generation (`gen`); a rotation
 * moves the family's one record from that generation to the next by compare-and-set, so of N
 * concurrent refreshes exactly one wins, and the store holds one record per family however often
 * it rotates. A token of an older generation is spent: presenting it again revokes its whole
 * family, access tokens included (RFC 9700 §4.14.2), unless it comes within the optional grace
 * window.
 *
 * `refresh` was verified without the revocation check: a spent token counts as revoked there (its
 * generation is behind its family's, so introspection calls it inactive), and must still be
 * recognised here as reuse.
 */
export async function rotate(
  ctx: RotationContext,
  refresh: VerifiedToken<object>,
  options: RefreshOptions,
): Promise<TokenPair> {
  const familyId = refresh.familyId
  if (familyId === undefined) throw new TokenInvalidError('payload')
  // Arguments are checked before the compare-and-set: a call that cannot issue spends nothing.
  if (options.bindRefreshToken !== undefined && typeof options.bindRefreshToken !== 'boolean')
    throw new InvalidArgumentError('bindRefreshToken must be a boolean')
  if (options.dpopJkt !== undefined) thumbprint(options.dpopJkt)
  // RFC 6749 §6: the refresh token is bound to the client it was issued to.
  if (options.clientId !== undefined && refresh.clientId !== options.clientId)
    throw new TokenInvalidError('claims')
  // RFC 9449 §5: a refresh token bound to a DPoP key is used only with a proof of that key;
  // refused before the compare-and-set, so the token stays unspent for its rightful holder.
  const boundTo = boundThumbprint(refresh.claims)
  if (boundTo !== undefined && options.dpopJkt !== boundTo) throw new TokenBindingError()
  const grant: PairOptions = grantOf(refresh.claims as Record<string, unknown>)
  if (options.scope !== undefined) grant.scope = narrowScope(refresh.scopes, options.scope)
  // The new access token is bound to the proof sent now; a bound refresh token stays bound.
  if (options.dpopJkt !== undefined) grant.dpopJkt = options.dpopJkt
  // RFC 9449 §5: a public client's unbound refresh token becomes bound to the key it now proves.
  if (boundTo !== undefined || (options.bindRefreshToken === true && options.dpopJkt !== undefined))
    grant.bindRefreshToken = true
  // Checked by the verifier: a non-negative integer, absent on tokens older than generations.
  const generation = ((refresh.claims as { gen?: number }).gen ?? 0) as number

  if (ctx.rateLimit !== undefined) {
    const { limit, seconds } = ctx.rateLimit
    // Refused before the compare-and-set: the token stays unspent, so the client may retry with it.
    const wait = await ctx.store.countRotation(refresh.subject, limit, seconds)
    if (wait > 0) throw new RefreshRateLimitedError(wait)
  }
  // The next refresh token is accepted until its exp + tolerance (signed a moment later, perhaps
  // in the next second): the family's record must live as long.
  const familyExpiresAt = ctx.now() + ctx.refreshTokenTtl + ctx.clockTolerance + 1
  const first = await ctx.store.advanceFamily(familyId, generation, familyExpiresAt)
  if (!first) return replayOrRevoke(ctx, refresh, familyId, generation)
  await ctx.checkRevoked(refresh)

  const pair = await ctx.issuePair(refresh.subject, grant, familyId, generation + 1)
  if (ctx.graceWindow > 0)
    await ctx.store.saveRotation(familyId, generation, JSON.stringify(pair), ctx.graceWindow)
  // A refresh token is always Covet's own, so it always has a jti.
  ctx.emit({ type: 'refresh.rotated', subject: refresh.subject, familyId, jti: refresh.jti as string })
  return pair
}

async function replayOrRevoke(
  ctx: RotationContext,
  refresh: VerifiedToken<object>,
  familyId: string,
  generation: number,
): Promise<TokenPair> {
  if (ctx.graceWindow > 0) {
    // The winner may still be signing: wait for its result for a moment before calling it reuse.
    for (let attempt = 0; attempt < 50; attempt++) {
      const saved = await ctx.store.getRotation(familyId, generation)
      if (saved !== undefined) return JSON.parse(saved) as TokenPair
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  // RFC 9700 §4.14.2: a reused refresh token revokes the active refresh token (its family).
  await ctx.store.revokeFamily(familyId, ctx.now() + ctx.refreshTokenTtl + ctx.clockTolerance + 1)
  ctx.emit({ type: 'refresh.reuse_detected', subject: refresh.subject, familyId, jti: refresh.jti as string })
  throw new RefreshTokenReusedError()
}

/** RFC 6749 §6: the new scope MUST NOT include any scope not originally granted. */
function narrowScope(granted: readonly string[], requested: string): string {
  const wanted = requested.split(' ').filter(Boolean)
  if (wanted.length === 0 || wanted.some((scope) => !granted.includes(scope))) throw new ScopeWidenedError()
  return [...new Set(wanted)].join(' ')
}
