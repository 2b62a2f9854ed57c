import type { ProtectedHeaderParameters } from 'jose'
import type { ImportedKey } from '../keys/import.js'

/** Distinct signed headers remembered per key set; only tokens that verified can add one. */
const MAX_REMEMBERED_HEADERS = 64

export interface CheckedHeader {
  readonly header: ProtectedHeaderParameters & { alg: string }
  /** The keys this header selects: each is tried under its own pinned algorithm only (RFC 8725 §3.1). */
  readonly candidates: readonly ImportedKey[]
  /** Present on a header seen for the first time: remembers it once its token's signature verified. */
  readonly remember?: () => void
}

export interface RememberedHeader extends CheckedHeader {
  /** The encoded header segment and the dot after it. */
  readonly prefix: string
}

/**
 * Headers already seen on a correctly signed token, by their encoded segment, for one key set (a
 * key change starts a new memo). A header segment always decodes to the same header, and an
 * issuer's keys write only a handful of distinct ones: the header of such a token need not be
 * decoded again.
 */
export class HeaderMemo {
  readonly #bySegment = new Map<string, RememberedHeader>()
  /** The one most recently used: usually every token of an issuer has it, and comparing is cheaper than hashing. */
  last: RememberedHeader | undefined

  get(segment: string): RememberedHeader | undefined {
    const known = this.#bySegment.get(segment)
    if (known !== undefined) this.last = known
    return known
  }

  /** Remembers a header whose token verified, unless the memo is full. */
  remember(segment: string, checked: Omit<CheckedHeader, 'remember'>): void {
    if (this.#bySegment.size >= MAX_REMEMBERED_HEADERS) return
    const entry: RememberedHeader = Object.freeze({
      header: checked.header,
      candidates: checked.candidates,
      prefix: `${segment}.`,
    })
    this.#bySegment.set(segment, entry)
    this.last = entry
  }
}
