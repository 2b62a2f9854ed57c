import { RefreshTokenReusedError, ScopeWidenedError, TokenInvalidError } from '../errors.js'
import type { RevocationStore } from '../revocation/store.js'
import type { CovetEvent, GrantOptions, RefreshOptions, TokenPair, VerifiedToken } from '../types.js'
import { grantOf } from './create.js'

export interface RotationContext {
  readonly store: RevocationStore
  readonly graceWindow: number
  readonly refreshTokenTtl: number
  /** Seconds a token is still accepted after its exp: state about it must outlive that too. */
  readonly clockTolerance: number
  readonly now: () => number
  readonly emit: (event: CovetEvent) => void
  readonly issuePair: (subject: string, grant: GrantOptions, familyId: string) => Promise<TokenPair>
  /** Rejects with `TokenRevokedError` when the token, its family or its subject is revoked. */
  readonly checkRevoked: (token: VerifiedToken<object>) => Promise<void>
}

/**
 * Rotation on every use. The spent token's `jti` is marked used atomically, so of N concurrent
 * refreshes exactly one wins; presenting a spent token again revokes its whole family, access
 * tokens included (RFC 9700 §4.14.2), unless it comes within the optional grace window.
 *
 * `refresh` was verified without the revocation check: a spent token is also revoked (so that
 * introspection calls it inactive), and must still be recognised here as reuse.
 */
export async function rotate(
  ctx: RotationContext,
  refresh: VerifiedToken<object>,
  options: RefreshOptions,
): Promise<TokenPair> {
  const familyId = refresh.familyId
  if (familyId === undefined) throw new TokenInvalidError('payload')
  // RFC 6749 §6: the refresh token is bound to the client it was issued to.
  if (options.clientId !== undefined && refresh.clientId !== options.clientId)
    throw new TokenInvalidError('claims')
  const grant = grantOf(refresh.claims as Record<string, unknown>)
  if (options.scope !== undefined) grant.scope = narrowScope(refresh.scopes, options.scope)

  // The token is accepted until exp + tolerance: its marker must live as long.
  const first = await ctx.store.markUsed(refresh.jti, refresh.expiresAt + ctx.clockTolerance)
  if (!first) return replayOrRevoke(ctx, refresh, familyId)
  await ctx.checkRevoked(refresh)

  const pair = await ctx.issuePair(refresh.subject, grant, familyId)
  if (ctx.graceWindow > 0) await ctx.store.saveRotation(refresh.jti, JSON.stringify(pair), ctx.graceWindow)
  // The spent token is revoked too, so verification and introspection call it inactive from now on.
  await ctx.store.revoke(refresh.jti, refresh.expiresAt + ctx.clockTolerance)
  ctx.emit({ type: 'refresh.rotated', subject: refresh.subject, familyId, jti: refresh.jti })
  return pair
}

async function replayOrRevoke(
  ctx: RotationContext,
  refresh: VerifiedToken<object>,
  familyId: string,
): Promise<TokenPair> {
  if (ctx.graceWindow > 0) {
    // The winner may still be signing: wait for its result for a moment before calling it reuse.
    for (let attempt = 0; attempt < 50; attempt++) {
      const saved = await ctx.store.getRotation(refresh.jti)
      if (saved !== undefined) return JSON.parse(saved) as TokenPair
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  // RFC 9700 §4.14.2: a reused refresh token revokes the active refresh token (its family).
  await ctx.store.revokeFamily(familyId, ctx.now() + ctx.refreshTokenTtl + ctx.clockTolerance)
  ctx.emit({ type: 'refresh.reuse_detected', subject: refresh.subject, familyId, jti: refresh.jti })
  throw new RefreshTokenReusedError()
}

/** RFC 6749 §6: the new scope MUST NOT include any scope not originally granted. */
function narrowScope(granted: readonly string[], requested: string): string {
  const wanted = requested.split(' ').filter(Boolean)
  if (wanted.length === 0 || wanted.some((scope) => !granted.includes(scope))) throw new ScopeWidenedError()
  return [...new Set(wanted)].join(' ')
}
