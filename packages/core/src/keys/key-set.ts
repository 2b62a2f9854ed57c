import { ConfigError } from '../errors.js'
import type { PublicJwkSet } from '../types.js'
import type { ImportedKey } from './import.js'

/** The keys of one `JwtAuth`: the first signs, every one verifies, each pinned to its algorithm. */
export class KeySet {
  readonly #byKid: Map<string, ImportedKey>
  readonly keys: readonly ImportedKey[]

  constructor(keys: readonly ImportedKey[]) {
    this.keys = keys
    this.#byKid = new Map()
    for (const [index, key] of keys.entries()) {
      if (this.#byKid.has(key.kid)) throw new ConfigError(`keys[${index}].kid`, 'duplicates another key id')
      this.#byKid.set(key.kid, key)
    }
  }

  get signing(): ImportedKey | undefined {
    return this.keys[0]?.signKey ? this.keys[0] : undefined
  }

  /**
   * The keys that may have signed a token with this header. The key is chosen by `kid`, and its
   * pinned algorithm must equal the header's `alg` (RFC 8725 §3.1): the token never picks the algorithm.
   */
  candidates(kid: string | undefined, alg: string): ImportedKey[] {
    if (kid !== undefined) {
      const key = this.#byKid.get(kid)
      return key && key.alg === alg ? [key] : []
    }
    return this.keys.filter((key) => key.alg === alg)
  }

  jwks(): PublicJwkSet {
    return { keys: this.keys.flatMap((key) => (key.publicJwk ? [{ ...key.publicJwk }] : [])) }
  }
}
