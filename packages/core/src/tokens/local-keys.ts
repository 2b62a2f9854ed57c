import { errors, type JWTPayload, jwtVerify } from 'jose'
import { TokenInvalidError } from '../errors.js'
import type { ImportedKey } from '../keys/import.js'
import type { KeySet } from '../keys/key-set.js'
import { type CheckedHeader, HeaderMemo } from './header-memo.js'
import type { JoseOptions } from './jose-options.js'
import { decodeHeader, precheckShape } from './precheck.js'

/**
 * Key resolution for Covet's own tokens: the local key set chosen by the header's `kid`, each key
 * under its pinned algorithm only (RFC 8725 §3.1). One instance per key set: `updateKeys` makes a
 * new one, so the headers it remembers never outlive the keys they were checked against.
 */
export class LocalKeys {
  readonly keySet: KeySet
  readonly #options: JoseOptions
  readonly #maxTokenLength: number
  readonly #headers = new HeaderMemo()

  constructor(keySet: KeySet, options: JoseOptions, maxTokenLength: number) {
    this.keySet = keySet
    this.#options = options
    this.#maxTokenLength = maxTokenLength
  }

  /** Structural pre-check, then the token's header (remembered, or decoded and checked) with the keys it selects. */
  header(token: string): CheckedHeader {
    const memo = this.#headers
    const { last } = memo
    if (last !== undefined && typeof token === 'string' && token.startsWith(last.prefix)) {
      precheckShape(token, this.#maxTokenLength, last.prefix.length)
      return last
    }
    const headerEnd = precheckShape(token, this.#maxTokenLength)
    const segment = token.slice(0, headerEnd)
    const known = memo.get(segment)
    if (known !== undefined) return known
    const header = Object.freeze(decodeHeader(token))
    const candidates = this.keySet.candidates(header.kid, header.alg)
    if (candidates.length === 0) throw new TokenInvalidError(header.kid === undefined ? 'algorithm' : 'key')
    return { header, candidates, remember: () => memo.remember(segment, { header, candidates }) }
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
