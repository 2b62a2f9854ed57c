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
type Kind = 'j' | 'f' | 's' | 'u' | 'r'
interface Entry {
  expiresAt: number
  value: number | string
}

export class MemoryRevocationStore implements RevocationStore {
  /** One map per kind of entry, so a read needs no key built from strings. */
  readonly #maps: Record<Kind, Map<string, Entry>> = {
    j: new Map(),
    f: new Map(),
    s: new Map(),
    u: new Map(),
    r: new Map(),
  }
  /** Expiry order of every entry, as `kind:id`. */
  readonly #heap = new ExpiryHeap()
  #size = 0
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
    return this.#size
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    this.#put('j', jti, expiresAt, 1)
  }

  async revokeFamily(fid: string, expiresAt: number): Promise<void> {
    this.#put('f', fid, expiresAt, 1)
  }

  async revokeSubject(subject: string, issuedBefore: number, expiresAt: number): Promise<void> {
    const previous = this.#live('s', subject, this.#now())
    const before = typeof previous?.value === 'number' ? Math.max(previous.value, issuedBefore) : issuedBefore
    this.#put('s', subject, Math.max(expiresAt, previous?.expiresAt ?? 0), before)
  }

  isRevoked(token: TokenRef): boolean {
    const { j, f, s } = this.#maps
    // Nothing revoked: no clock read, no lookup.
    if (j.size === 0 && f.size === 0 && s.size === 0) return false
    const now = this.#now()
    if (this.#live('j', token.jti, now)) return true
    if (token.fid !== undefined && this.#live('f', token.fid, now)) return true
    const subject = this.#live('s', token.sub, now)
    return subject !== undefined && token.iat <= (subject.value as number)
  }

  async markUsed(jti: string, expiresAt: number): Promise<boolean> {
    // Single-threaded: the check and the write below run without an await between them.
    if (this.#live('u', jti, this.#now())) return false
    this.#put('u', jti, expiresAt, 1)
    return true
  }

  async saveRotation(jti: string, result: string, ttlSeconds: number): Promise<void> {
    this.#put('r', jti, this.#now() + ttlSeconds, result)
  }

  async getRotation(jti: string): Promise<string | undefined> {
    const entry = this.#live('r', jti, this.#now())
    return typeof entry?.value === 'string' ? entry.value : undefined
  }

  async close(): Promise<void> {
    for (const map of Object.values(this.#maps)) map.clear()
    this.#size = 0
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000)
  }

  #live(kind: Kind, id: string, now: number): Entry | undefined {
    const entry = this.#maps[kind].get(id)
    return entry !== undefined && entry.expiresAt > now ? entry : undefined
  }

  #put(kind: Kind, id: string, expiresAt: number, value: number | string): void {
    const now = this.#now()
    for (const expired of this.#heap.popExpired(now)) {
      const map = this.#maps[expired[0] as Kind]
      const expiredId = expired.slice(2)
      const entry = map.get(expiredId)
      if (entry !== undefined && entry.expiresAt <= now) {
        map.delete(expiredId)
        this.#size--
      }
    }
    if (expiresAt <= now) return
    const map = this.#maps[kind]
    const existing = map.get(id)
    if (existing === undefined && this.#size >= this.#maxEntries) throw new StoreFullError()
    if (existing === undefined) this.#size++
    map.set(id, { expiresAt, value })
    this.#heap.push(expiresAt, `${kind}:${id}`)
  }
}
