import { base64url } from 'jose'

/**
 * RFC 9449 §4.2: `ath`, the base64url SHA-256 hash of the ASCII access token.
 *
 * @example
 * ```ts
 * // RFC 9449 §7.1's example token and its ath.
 * await tokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU') // 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo'
 * ```
 */
export async function tokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * The `ath` of recent access tokens. A client sends the same token with every proof until it
 * expires, and Web Crypto's digest costs a hop to another thread each time: more than the
 * signature check it comes with, on Node. A bounded LRU keyed by the exact token string.
 */
export class TokenHashes {
  readonly #hashes = new Map<string, Promise<string>>()
  readonly #max: number

  constructor(max = 1000) {
    this.#max = max
  }

  get(accessToken: string): Promise<string> {
    let hash = this.#hashes.get(accessToken)
    if (hash !== undefined) {
      // Most recently used last: the first entry is the one to evict.
      this.#hashes.delete(accessToken)
    } else {
      hash = tokenHash(accessToken)
      if (this.#hashes.size >= this.#max) this.#hashes.delete(this.#hashes.keys().next().value!)
    }
    this.#hashes.set(accessToken, hash)
    return hash
  }
}
