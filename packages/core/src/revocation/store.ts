/**
 * The state Covet keeps about tokens: revoked ids, revoked refresh families, subjects revoked
 * before a point in time, the current generation of each refresh family, and a rotation count per
 * subject. Every write resolves only once the state is durable in the store, so a response never
 * reports a revocation that could still be lost.
 *
 * Its size follows sessions, not traffic: a rotation rewrites its family's one record instead of
 * adding an entry, and every entry is forgotten once the tokens it is about have expired.
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
   * Whether a token is revoked: by its `jti`, its family, its subject, or, for a refresh token
   * (`generation` set), because its family has moved past its generation (the token is spent).
   * May answer synchronously (from memory or a coherent local cache); rejects with
   * `StoreUnavailableError` when it cannot know.
   */
  isRevoked(token: TokenRef): boolean | Promise<boolean>
  /**
   * Compare-and-set a refresh family's generation from `from` to `from + 1`, atomically: of any
   * number of concurrent callers with the same `from` (across processes for shared stores),
   * exactly one resolves `true`; every other, and any caller whose `from` is not the current
   * generation, resolves `false`. A family the store has no record of is taken to be at `from`
   * (its first rotation, or state the store has lost). The one record per family is kept until
   * `expiresAt` (never shortened), when every token of the family has expired.
   */
  advanceFamily(fid: string, from: number, expiresAt: number): Promise<boolean>
  /**
   * Count one rotation for `subject` in a fixed window of `windowSeconds` starting at its first
   * rotation. Resolves 0 while the count is at most `limit`, else the seconds left in the window.
   */
  countRotation(subject: string, limit: number, windowSeconds: number): Promise<number>
  /**
   * Remember, for a short grace window, the result of rotating family `fid` away from generation
   * `from`, so that a repeated refresh with that same token gets the same result instead of a
   * family revocation. One result per family: a later rotation replaces it.
   */
  saveRotation(fid: string, from: number, result: string, ttlSeconds: number): Promise<void>
  /** The result saved by `saveRotation` for this family and generation, while its window lasts. */
  getRotation(fid: string, from: number): Promise<string | undefined>
  /**
   * Atomically mark a one-time value (such as a proof `jti`) as spent. Resolves `true` for exactly
   * one caller, however many call at once (across processes for shared stores), `false` for every
   * other. Refresh tokens do not use it (see `advanceFamily`); keep `expiresAt` short.
   */
  markUsed(jti: string, expiresAt: number): Promise<boolean>
  /**
   * Keep a short-lived record (an authorization code, a login session) under `key` until
   * `expiresAt`, replacing any record there. Optional: an OAuth 2 authorization endpoint needs it.
   */
  putRecord?(key: string, value: string, expiresAt: number): Promise<void>
  /** The record under `key` while it lives; `undefined` otherwise. */
  getRecord?(key: string): Promise<string | undefined>
  /**
   * Atomically replace a live record's value, keeping its expiry, and resolve the value it held:
   * of any number of concurrent callers (across processes for shared stores), each sees the value
   * the previous one wrote, so exactly one sees what `putRecord` stored (single-use codes). A
   * missing or expired record stays missing and resolves `undefined`.
   */
  swapRecord?(key: string, value: string): Promise<string | undefined>
  /** Release connections and timers. */
  close?(): Promise<void>
}

/** What a store needs to know of a token to tell whether it is revoked. */
export interface TokenRef {
  /** Absent only on another issuer's token that carries none (see `issuers`). */
  readonly jti: string | undefined
  readonly sub: string
  /** Issued-at, Unix seconds. */
  readonly iat: number
  /** Refresh family id, on tokens issued from a pair. */
  readonly fid?: string | undefined
  /** On refresh tokens of a family: the family generation the token was issued at. */
  readonly generation?: number | undefined
}
