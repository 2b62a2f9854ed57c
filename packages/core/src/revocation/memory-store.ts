import { StoreFullError } from '../errors.js'
import { ExpiryHeap } from '../lib/expiry-heap.js'
import type { RevocationStore, TokenRef } from './store.js'

export interface MemoryRevocationStoreOptions {
  /** Entries kept at most; a write beyond it fails with `StoreFullError` instead of forgetting a revocation. Default 1,000,000. */
  maxEntries?: number
  /** Milliseconds since the epoch; for tests. Default `Date.now`. */
  clock?: () => number
}

/**
 * Revocation state for one process. Entries are forgotten when the tokens they protect expire:
 * a min-heap ordered by expiry is drained on every write, so memory stays bounded without a timer
 * per entry. Use `@covet/redis` when several processes serve the same tokens.
 */
export class MemoryRevocationStore implements RevocationStore {
  readonly #entries = new Map<string, { expiresAt: number; value: number | string }>()
  readonly #heap = new ExpiryHeap()
  readonly #maxEntries: number
  readonly #clock: () => number

  constructor(options: MemoryRevocationStoreOptions = {}) {
    const max = options.maxEntries ?? 1_000_000
    if (!Number.isSafeInteger(max) || max < 1) throw new TypeError('maxEntries must be a positive integer')
    this.#maxEntries = max
    this.#clock = options.clock ?? Date.now
  }

  /** Entries currently held (revocations, families, subjects, used markers, rotations). */
  get size(): number {
    return this.#entries.size
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    this.#put(`j:${jti}`, expiresAt, 1)
  }

  async revokeFamily(fid: string, expiresAt: number): Promise<void> {
    this.#put(`f:${fid}`, expiresAt, 1)
  }

  async revokeSubject(subject: string, issuedBefore: number, expiresAt: number): Promise<void> {
    const previous = this.#live(`s:${subject}`)
    const before = typeof previous?.value === 'number' ? Math.max(previous.value, issuedBefore) : issuedBefore
    this.#put(`s:${subject}`, Math.max(expiresAt, previous?.expiresAt ?? 0), before)
  }

  isRevoked(token: TokenRef): boolean {
    if (this.#live(`j:${token.jti}`)) return true
    if (token.fid !== undefined && this.#live(`f:${token.fid}`)) return true
    const subject = this.#live(`s:${token.sub}`)
    return subject !== undefined && token.iat <= (subject.value as number)
  }

  async markUsed(jti: string, expiresAt: number): Promise<boolean> {
    // Single-threaded: the check and the write below run without an await between them.
    if (this.#live(`u:${jti}`)) return false
    this.#put(`u:${jti}`, expiresAt, 1)
    return true
  }

  async saveRotation(jti: string, result: string, ttlSeconds: number): Promise<void> {
    this.#put(`r:${jti}`, this.#now() + ttlSeconds, result)
  }

  async getRotation(jti: string): Promise<string | undefined> {
    const entry = this.#live(`r:${jti}`)
    return typeof entry?.value === 'string' ? entry.value : undefined
  }

  async close(): Promise<void> {
    this.#entries.clear()
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000)
  }

  #live(key: string): { expiresAt: number; value: number | string } | undefined {
    const entry = this.#entries.get(key)
    return entry && entry.expiresAt > this.#now() ? entry : undefined
  }

  #put(key: string, expiresAt: number, value: number | string): void {
    const now = this.#now()
    for (const expired of this.#heap.popExpired(now)) {
      const entry = this.#entries.get(expired)
      if (entry && entry.expiresAt <= now) this.#entries.delete(expired)
    }
    if (expiresAt <= now) return
    if (!this.#entries.has(key) && this.#entries.size >= this.#maxEntries) throw new StoreFullError()
    this.#entries.set(key, { expiresAt, value })
    this.#heap.push(expiresAt, key)
  }
}
