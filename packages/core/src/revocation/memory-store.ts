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
 * Revoked jti, revoked family, revoked subject, used marker, family generation, rotation result,
 * rotation count, record (a code or session).
 */
type Kind = 'j' | 'f' | 's' | 'u' | 'g' | 'r' | 'c' | 'o'
interface Entry {
  expiresAt: number
  /** 1, a subject's `issuedBefore`, a family's generation, the generation a rotation left, or a count. */
  value: number
  /** A saved rotation result, or a record's value. */
  result?: string | undefined
}

/**
 * Revocation state for one process. Entries are forgotten when the tokens they protect expire:
 * a min-heap ordered by expiry is drained on every write, so memory stays bounded without a timer
 * per entry. A rotation rewrites its family's one entry, so the size follows live sessions (see
 * docs/security.md, "How big the revocation store gets"). Use `@covet/redis` when several
 * processes serve the same tokens.
 *
 * @example
 * const auth = await createJwtAuth({ keys, revocation: new MemoryRevocationStore({ maxEntries: 100_000 }) })
 */
export class MemoryRevocationStore implements RevocationStore {
  /** One map per kind of entry, so a read needs no key built from strings. */
  readonly #maps: Record<Kind, Map<string, Entry>> = {
    j: new Map(),
    f: new Map(),
    s: new Map(),
    u: new Map(),
    g: new Map(),
    r: new Map(),
    c: new Map(),
    o: new Map(),
  }
  /** Expiry order of every entry, as `kind:id`: exactly one node per entry, moved on when the entry outlives it. */
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

  /** Entries currently held (revocations, families, subjects, markers, rotations, counts, records). */
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
    this.#put('s', subject, expiresAt, Math.max(previous?.value ?? issuedBefore, issuedBefore))
  }

  isRevoked(token: TokenRef): boolean {
    const { j, f, s, g } = this.#maps
    const refresh = token.generation !== undefined && token.fid !== undefined && g.size > 0
    // Nothing revoked: no clock read, no lookup.
    if (j.size === 0 && f.size === 0 && s.size === 0 && !refresh) return false
    const now = this.#now()
    if (token.jti !== undefined && this.#live('j', token.jti, now)) return true
    if (token.fid !== undefined && this.#live('f', token.fid, now)) return true
    // A refresh token older than its family's generation was rotated away: it is spent.
    if (refresh && token.generation! < (this.#live('g', token.fid!, now)?.value ?? 0)) return true
    const subject = this.#live('s', token.sub, now)
    return subject !== undefined && token.iat <= subject.value
  }

  async advanceFamily(fid: string, from: number, expiresAt: number): Promise<boolean> {
    // Single-threaded: the check and the write below run without an await between them.
    const current = this.#live('g', fid, this.#now())
    if (current !== undefined && current.value !== from) return false
    this.#put('g', fid, expiresAt, from + 1)
    return true
  }

  async countRotation(subject: string, limit: number, windowSeconds: number): Promise<number> {
    const now = this.#now()
    const window = this.#live('c', subject, now)
    const endsAt = window?.expiresAt ?? now + windowSeconds
    const count = (window?.value ?? 0) + 1
    this.#put('c', subject, endsAt, count)
    return count <= limit ? 0 : Math.max(1, endsAt - now)
  }

  async saveRotation(fid: string, from: number, result: string, ttlSeconds: number): Promise<void> {
    this.#put('r', fid, this.#now() + ttlSeconds, from, result)
  }

  async getRotation(fid: string, from: number): Promise<string | undefined> {
    const entry = this.#live('r', fid, this.#now())
    return entry?.value === from ? entry.result : undefined
  }

  async markUsed(jti: string, expiresAt: number): Promise<boolean> {
    // Single-threaded: the check and the write below run without an await between them.
    if (this.#live('u', jti, this.#now())) return false
    this.#put('u', jti, expiresAt, 1)
    return true
  }

  async putRecord(key: string, value: string, expiresAt: number): Promise<void> {
    this.#put('o', key, expiresAt, 0, value)
  }

  async getRecord(key: string): Promise<string | undefined> {
    return this.#live('o', key, this.#now())?.result
  }

  async swapRecord(key: string, value: string): Promise<string | undefined> {
    // Single-threaded: the read and the write below run without an await between them.
    const entry = this.#live('o', key, this.#now())
    if (entry === undefined) return undefined
    const previous = entry.result
    entry.result = value
    return previous
  }

  async close(): Promise<void> {
    for (const map of Object.values(this.#maps)) map.clear()
    this.#heap.clear()
    this.#size = 0
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000)
  }

  #live(kind: Kind, id: string, now: number): Entry | undefined {
    const entry = this.#maps[kind].get(id)
    return entry !== undefined && entry.expiresAt > now ? entry : undefined
  }

  /** Write an entry; its expiry only ever grows, so one heap node per entry is enough. */
  #put(kind: Kind, id: string, expiresAt: number, value: number, result?: string): void {
    const now = this.#now()
    this.#forgetExpired(now)
    if (expiresAt <= now) return
    const map = this.#maps[kind]
    const existing = map.get(id)
    if (existing !== undefined) {
      existing.expiresAt = Math.max(existing.expiresAt, expiresAt)
      existing.value = value
      existing.result = result
      return
    }
    if (this.#size >= this.#maxEntries) throw new StoreFullError()
    this.#size++
    map.set(id, { expiresAt, value, result })
    this.#heap.push(expiresAt, `${kind}:${id}`)
  }

  /** Drop every expired entry; an entry whose expiry was pushed back gets its node again, at the new time. */
  #forgetExpired(now: number): void {
    for (const expired of this.#heap.popExpired(now)) {
      const map = this.#maps[expired[0] as Kind]
      const id = expired.slice(2)
      const entry = map.get(id)
      if (entry === undefined) continue
      if (entry.expiresAt > now) {
        this.#heap.push(entry.expiresAt, expired)
        continue
      }
      map.delete(id)
      this.#size--
    }
  }
}
