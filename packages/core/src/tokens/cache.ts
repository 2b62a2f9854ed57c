import type { TokenRef } from '../revocation/store.js'
import type { VerifiedToken } from '../types.js'

export interface CachedToken {
  readonly result: VerifiedToken<object>
  readonly ref: TokenRef
  readonly exp: number
  readonly nbf: number | undefined
}

/**
 * The verified-token cache: a bounded LRU keyed by the exact token string. A hit skips only the
 * signature and claim parsing; the caller re-checks `exp`/`nbf` and revocation on every hit, so a
 * cached token is never more trusted than a freshly verified one.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, CachedToken>()
  readonly #maxEntries: number
  #generation = 0

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  get size(): number {
    return this.#entries.size
  }

  /** Changes on every `clear()`: a result verified before a clear (old keys) must not be stored after it. */
  get generation(): number {
    return this.#generation
  }

  /** Whether `token` is cached, without refreshing its recency (for observers: hit or miss). */
  has(token: string): boolean {
    return this.#entries.has(token)
  }

  get(token: string): CachedToken | undefined {
    const entry = this.#entries.get(token)
    if (entry !== undefined) {
      // Refresh recency: Map iteration order is insertion order, so the first key is the coldest.
      this.#entries.delete(token)
      this.#entries.set(token, entry)
    }
    return entry
  }

  set(token: string, entry: CachedToken, generation = this.#generation): void {
    if (generation !== this.#generation) return
    this.#entries.delete(token)
    this.#entries.set(token, entry)
    if (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!)
    }
  }

  delete(token: string): void {
    this.#entries.delete(token)
  }

  clear(): void {
    this.#entries.clear()
    this.#generation++
  }
}
