import type { TokenRef } from '../revocation/store.js'
import type { VerifiedToken } from '../types.js'

export interface CachedToken {
  readonly result: VerifiedToken<object>
  readonly ref: TokenRef
  readonly exp: number
  readonly nbf: number | undefined
}

/** A cached result, its token, and whether it was read since an eviction last passed it (its second chance). */
interface Slot {
  readonly token: string
  readonly entry: CachedToken
  used: boolean
}

/**
 * The cache's key for `token`: four characters near the end of its signature, packed into one
 * number (no string is cut out or hashed: that was most of a hit's cost). A slot keeps its token,
 * and a lookup compares it whole, so two tokens that share the key cost a miss, never a wrong
 * answer. The last character is skipped: its low bits are zero in canonical base64url.
 */
const KEY_SPAN = 5
const keyOf = (token: string): number | string => {
  // Anything but a string (verifyToken refuses it after the lookup), or a short one, is its own key.
  if (typeof token !== 'string' || token.length < KEY_SPAN) return token
  const end = token.length
  return (
    token.charCodeAt(end - 2) |
    (token.charCodeAt(end - 3) << 7) |
    (token.charCodeAt(end - 4) << 14) |
    (token.charCodeAt(end - 5) << 21)
  )
}

/** Tokens whose signature failed, remembered at most: one per slot (a power of two). */
const REFUSED_SLOTS = 1024
/** The slot of a refused token: its key's bits mixed (Fibonacci hashing) into 0 … REFUSED_SLOTS - 1. */
const refusedSlot = (key: number): number => Math.imul(key, 0x9e3779b1) >>> 22
/** Longer tokens are not remembered as refused: at most 1024 × 2 KiB of token text is kept. */
const MAX_REFUSED_LENGTH = 2048

/**
 * The verified-token cache: bounded, keyed by the end of each token and answering only for the
 * exact token string, evicting the least recently used entry (second chance: a hit only marks its
 * entry, and an eviction moves marked entries to the recent end, unmarked, until it finds one to
 * drop). A hit skips only the signature and claim parsing; the caller re-checks `exp`/`nbf` and
 * revocation on every hit, so a cached token is never more trusted than a freshly verified one.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<number | string, Slot>()
  /**
   * Tokens whose signature failed under the current keys, each in the slot its key picks (the same
   * key as the cache's entries): remembering one is a store, and a flood of distinct forgeries costs
   * no hashing of each whole token and no reordering of a map.
   */
  readonly #refused: (string | undefined)[] = new Array<string | undefined>(REFUSED_SLOTS).fill(undefined)
  /**
   * The key of the forgery last refused in each slot (-1: none). A forgery's token is kept only on
   * its second refusal: a flood of distinct forgeries then keeps no request's string alive past its
   * response, where every one of them would outlive the young generation and leave the collector
   * old garbage to sweep.
   */
  readonly #refusedOnce = new Int32Array(REFUSED_SLOTS).fill(-1)
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
    const slot = this.#entries.get(keyOf(token))
    return slot !== undefined && slot.token === token
  }

  get(token: string): CachedToken | undefined {
    const slot = this.#entries.get(keyOf(token))
    if (slot === undefined || slot.token !== token) return undefined
    // A mark, not a move: reordering the Map on every hit costs two more hash operations and churns
    // its table, on the path of every protected request.
    slot.used = true
    return slot.entry
  }

  set(token: string, entry: CachedToken, generation = this.#generation): void {
    if (generation !== this.#generation) return
    const added = keyOf(token)
    // A token that ends like a cached one takes its place.
    this.#entries.delete(added)
    this.#entries.set(added, { token, entry, used: false })
    // Map iteration order is insertion order: the first key is the coldest.
    while (this.#entries.size > this.#maxEntries) {
      const [key, slot] = this.#entries.entries().next().value!
      this.#entries.delete(key)
      if (slot.used || key === added) {
        slot.used = false
        this.#entries.set(key, slot)
      }
    }
  }

  /** Whether `token`'s signature failed under the current keys: it would fail again. */
  isRefused(token: string): boolean {
    const key = keyOf(token)
    return typeof key === 'number' && this.#refused[refusedSlot(key)] === token
  }

  /**
   * Note that `token`'s signature failed under the keys of `generation` (a signature check is
   * deterministic: the same token fails again until the keys change, and `clear()` forgets it). A
   * token is remembered from its second refusal on; its first leaves only its key behind.
   */
  refuse(token: string, generation: number | undefined): void {
    if (generation !== this.#generation || token.length > MAX_REFUSED_LENGTH) return
    const key = keyOf(token)
    // A token too short to have a key is no compact JWS: never refused for its signature.
    if (typeof key !== 'number') return
    const slot = refusedSlot(key)
    if (this.#refusedOnce[slot] !== key) {
      this.#refusedOnce[slot] = key
      return
    }
    // The latest forgery whose key picks a taken slot takes it: the older one is checked again if it comes back.
    this.#refused[slot] = token
  }

  delete(token: string): void {
    const key = keyOf(token)
    const slot = this.#entries.get(key)
    if (slot !== undefined && slot.token === token) this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
    this.#refused.fill(undefined)
    this.#refusedOnce.fill(-1)
    this.#generation++
  }
}
