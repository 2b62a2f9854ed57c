/**
 * The state Covet keeps about tokens: revoked ids, revoked refresh families, subjects revoked
 * before a point in time, and single-use markers for refresh tokens. Every write resolves only
 * once the state is durable in the store, so a response never reports a revocation that could
 * still be lost.
 *
 * Times are Unix seconds. `expiresAt` is when the entry may be forgotten: after it, the token it
 * protects has expired anyway.
 */
export interface RevocationStore {
  /** Revoke one token by its `jti`. */
  revoke(jti: string, expiresAt: number): Promise<void>
  /** Revoke every token of a refresh family (`fid`): refresh and access tokens alike. */
  revokeFamily(fid: string, expiresAt: number): Promise<void>
  /** Revoke every token of `subject` issued at or before `issuedBefore`. */
  revokeSubject(subject: string, issuedBefore: number, expiresAt: number): Promise<void>
  /**
   * Whether a token is revoked by any of the three rules. May answer synchronously (from memory
   * or a coherent local cache); rejects with `StoreUnavailableError` when it cannot know.
   */
  isRevoked(token: TokenRef): boolean | Promise<boolean>
  /**
   * Atomically mark a refresh token's `jti` as spent. Resolves `true` for exactly one caller,
   * however many call at once (across processes for shared stores), `false` for every other.
   */
  markUsed(jti: string, expiresAt: number): Promise<boolean>
  /**
   * Remember the result of a rotation for a short grace window, so that a repeated refresh of the
   * same token within it gets the same result instead of a family revocation.
   */
  saveRotation(jti: string, result: string, ttlSeconds: number): Promise<void>
  /** The result saved by `saveRotation`, while its window lasts. */
  getRotation(jti: string): Promise<string | undefined>
  /** Release connections and timers. */
  close?(): Promise<void>
}

/** What a store needs to know of a token to tell whether it is revoked. */
export interface TokenRef {
  readonly jti: string
  readonly sub: string
  /** Issued-at, Unix seconds. */
  readonly iat: number
  /** Refresh family id, on tokens issued from a pair. */
  readonly fid?: string | undefined
}
