import { type CryptoKey, calculateJwkThumbprint, importJWK, type JWK } from 'jose'
import { DpopProofError } from './errors.js'

/** A proof's public key, imported, and its RFC 7638 thumbprint. */
export interface ProofKey {
  readonly key: CryptoKey
  readonly jkt: string
  /** The key's required members only (RFC 7638 §3.2). */
  readonly jwk: JWK
}

// RFC 7638 §3.2: the members a thumbprint covers, which are all a public key is.
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
}

/**
 * The keys of recent proofs, imported once and with their thumbprint computed once. A client signs
 * every proof with the same key: importing it (Web Crypto) and hashing it for every request would
 * cost more than checking the signature itself. Keyed by the algorithm and the key's RFC 7638
 * members, so a key is never used with another algorithm than the one it was imported for; a
 * bounded LRU, so a flood of new keys only evicts.
 */
export class ProofKeys {
  readonly #entries = new Map<string, Promise<ProofKey>>()
  readonly #max: number

  constructor(max = 1000) {
    this.#max = max
  }

  /** The imported key of header `jwk` for `alg`; `DpopProofError('key')` for anything unusable. */
  get(jwk: Record<string, unknown>, alg: string): Promise<ProofKey> {
    const members = MEMBERS[jwk.kty as string]
    // RFC 7517 §4.2, §4.4: a key meant for something else, or for another algorithm, is not this one.
    if (
      members === undefined ||
      (jwk.use !== undefined && jwk.use !== 'sig') ||
      (jwk.alg !== undefined && jwk.alg !== alg)
    )
      return Promise.reject(new DpopProofError('key'))
    const publicJwk: Record<string, string> = {}
    for (const member of members) {
      const value = jwk[member]
      if (typeof value !== 'string') return Promise.reject(new DpopProofError('key'))
      publicJwk[member] = value
    }
    const id = `${alg} ${JSON.stringify(publicJwk)}`
    let entry = this.#entries.get(id)
    if (entry !== undefined) {
      // Most recently used last: the first entry is the one to evict.
      this.#entries.delete(id)
    } else {
      entry = importProofKey(publicJwk, alg)
      // A key that failed to import is not remembered.
      entry.catch(() => this.#entries.delete(id))
      if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!)
    }
    this.#entries.set(id, entry)
    return entry
  }
}

async function importProofKey(jwk: JWK, alg: string): Promise<ProofKey> {
  try {
    const key = await importJWK(jwk, alg)
    // A symmetric JWK imports as bytes: never a proof key (RFC 9449 §4.3).
    if (key instanceof Uint8Array || key.type !== 'public') throw new DpopProofError('key')
    return { key, jkt: await calculateJwkThumbprint(jwk, 'sha256'), jwk }
  } catch (cause) {
    throw cause instanceof DpopProofError ? cause : new DpopProofError('key', { cause })
  }
}
