import { base64url, errors, type JWTPayload, jwtVerify } from 'jose'
import { TokenInvalidError } from '../errors.js'
import type { ImportedKey } from '../keys/import.js'
import type { KeySet } from '../keys/key-set.js'
import { signedHeader } from './create.js'
import { type CheckedHeader, HeaderMemo, type JoseHeader } from './header-memo.js'
import type { JoseOptions } from './jose-options.js'

/** The keys a header selects: each is tried under its own pinned algorithm only (RFC 8725 §3.1). */
export interface KeySelection {
  readonly candidates: readonly ImportedKey[]
}

/**
 * Key resolution for Covet's own tokens: the local key set chosen by the header's `kid`, each key
 * under its pinned algorithm only (RFC 8725 §3.1). One instance per key set: `updateKeys` makes a
 * new one, so the headers it remembers never outlive the keys they were checked against.
 */
export class LocalKeys {
  readonly keySet: KeySet
  readonly #options: JoseOptions
  readonly #maxTokenLength: number
  readonly #headers = new HeaderMemo<KeySelection>()

  constructor(keySet: KeySet, options: JoseOptions, maxTokenLength: number) {
    this.keySet = keySet
    this.#options = options
    this.#maxTokenLength = maxTokenLength
    this.#seedOwnHeaders()
  }

  /**
   * The headers Covet itself writes with these keys (access and refresh), known from the start:
   * a token with one of them, forged ones included, is not decoded twice. The signing key's comes
   * first.
   */
  #seedOwnHeaders(): void {
    for (const key of this.keySet.keys) {
      for (const type of ['access', 'refresh'] as const) {
        const header = signedHeader(key, type)
        // What jose's SignJWT writes: the JSON text of the header, base64url-encoded (RFC 7515 §7.1).
        this.#headers.seed(base64url.encode(JSON.stringify(header)), { ...this.#select(header), header })
      }
    }
  }

  /** Structural pre-check, then the token's header (remembered, or decoded and checked) with the keys it selects. */
  header(token: string): CheckedHeader<KeySelection> {
    return this.#headers.check(token, this.#maxTokenLength, this.#select)
  }

  /** The keys a header selects (made once: no closure per token). */
  readonly #select = (header: JoseHeader): KeySelection => {
    const candidates = this.keySet.candidates(header.kid, header.alg)
    if (candidates.length === 0) throw new TokenInvalidError(header.kid === undefined ? 'algorithm' : 'key')
    return { candidates }
  }

  /** jose's options for one local key: its pinned algorithm is the only one allowed (RFC 8725 §3.1). */
  options(key: ImportedKey) {
    return this.#options.for([key.alg], key.alg)
  }

  /** Several keys share the token's algorithm and it names none (no `kid`): each is tried in turn. */
  async verifyWithEach(token: string, candidates: readonly ImportedKey[]): Promise<JWTPayload> {
    let lastError: unknown
    for (const key of candidates) {
      try {
        return (await jwtVerify(token, key.verifyKey, this.options(key))).payload
      } catch (error) {
        lastError = error
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) break
      }
    }
    throw lastError
  }
}
