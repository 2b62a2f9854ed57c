import type { ProtectedHeaderParameters } from 'jose'
import { decodeHeader, precheckShape } from './precheck.js'

/** Distinct signed headers remembered per memo; only tokens that verified can add one. */
const MAX_REMEMBERED_HEADERS = 64

export type JoseHeader = ProtectedHeaderParameters & { alg: string }

/** A token's checked header, and what its source made of it (the keys it selects, for Covet's own). */
export type CheckedHeader<Selection extends object> = Selection & {
  readonly header: JoseHeader
  /** Present on a header seen for the first time: remembers it once its token's signature verified. */
  readonly remember?: () => void
}

type RememberedHeader<Selection extends object> = CheckedHeader<Selection> & {
  /** The encoded header segment and the dot after it. */
  readonly prefix: string
}

/**
 * Headers already seen on a correctly signed token, by their encoded segment, for one source of
 * keys (a key change starts a new memo). A header segment always decodes to the same header, and
 * an issuer's keys write only a handful of distinct ones: the header of such a token need not be
 * decoded and checked again.
 */
export class HeaderMemo<Selection extends object> {
  readonly #bySegment = new Map<string, RememberedHeader<Selection>>()
  /** The one most recently used: usually every token of an issuer has it, and comparing is cheaper than hashing. */
  #last: RememberedHeader<Selection> | undefined

  /**
   * Structural pre-check, then the token's header: remembered, or decoded, checked and handed to
   * `select`, which throws for a header its source refuses.
   */
  check(
    token: string,
    maxTokenLength: number,
    select: (header: JoseHeader) => Selection,
  ): CheckedHeader<Selection> {
    const last = this.#last
    // A slice compared whole, not `startsWith`: V8 compiles that to a loop that reads a sliced
    // string (a token cut from its header) one character at a time, several times the cost.
    if (
      last !== undefined &&
      typeof token === 'string' &&
      token.slice(0, last.prefix.length) === last.prefix
    ) {
      precheckShape(token, maxTokenLength, last.prefix.length)
      return last
    }
    const headerEnd = precheckShape(token, maxTokenLength)
    const segment = token.slice(0, headerEnd)
    const known = this.#bySegment.get(segment)
    if (known !== undefined) {
      this.#last = known
      return known
    }
    const header = Object.freeze(decodeHeader(token))
    const selection = select(header)
    return { ...selection, header, remember: () => this.#remember(segment, { ...selection, header }) }
  }

  /**
   * Know `segment` from the start: a header this source's own signer writes (Covet's, for its own
   * keys), which the first verified token would teach the memo anyway. Seeds take at most half the
   * memo, so tokens that verify can still teach it. Returns whether `segment` was taken.
   */
  seed(segment: string, checked: Selection & { readonly header: JoseHeader }): boolean {
    if (this.#bySegment.has(segment) || this.#bySegment.size >= MAX_REMEMBERED_HEADERS / 2) return false
    const header = Object.freeze({ ...checked.header })
    const entry = Object.freeze({ ...checked, header, prefix: `${segment}.` }) as RememberedHeader<Selection>
    this.#bySegment.set(segment, entry)
    // The first seeded (the signing key's access header) is the one compared first.
    this.#last ??= entry
    return true
  }

  #remember(segment: string, checked: Selection & { readonly header: JoseHeader }): void {
    if (this.#bySegment.size >= MAX_REMEMBERED_HEADERS) return
    const entry = Object.freeze({ ...checked, prefix: `${segment}.` }) as RememberedHeader<Selection>
    this.#bySegment.set(segment, entry)
    this.#last = entry
  }
}
