import { base64url } from 'jose'

/** How a proof's nonce was taken: refused, or accepted with a newer one to supply (`fresh`). */
export type NonceCheck = { readonly accepted: false } | { readonly accepted: true; readonly fresh?: string }

const CURRENT: NonceCheck = { accepted: true }
const REFUSED: NonceCheck = { accepted: false }

/**
 * Server nonces for DPoP proofs (RFC 9449 §8, §9) that need no shared state: the nonce of a time
 * slot is the HMAC of the slot's number under a secret, so every server holding the secret hands
 * out and accepts the same values. A nonce is handed out during its slot and accepted during the
 * next one too; each slot's nonce is computed once.
 */
export class DpopNonces {
  readonly #key: Promise<CryptoKey>
  readonly #lifetime: number
  readonly #clock: () => number
  /** The nonces of the two most recent slots asked for. */
  #slots = new Map<number, Promise<string>>()

  constructor(secret: Uint8Array, lifetimeSeconds: number, clock: () => number) {
    this.#key = crypto.subtle.importKey(
      'raw',
      secret as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    this.#lifetime = lifetimeSeconds
    this.#clock = clock
  }

  /** The nonce to hand out now. */
  current(): Promise<string> {
    return this.#of(this.#slot())
  }

  /**
   * Whether `nonce` is this slot's or the previous one's; for the previous one's, this slot's
   * nonce to hand out with the answer (RFC 9449 §9).
   */
  async check(nonce: string): Promise<NonceCheck> {
    const slot = this.#slot()
    const [current, previous] = await Promise.all([this.#of(slot), this.#of(slot - 1)])
    if (nonce === current) return CURRENT
    return nonce === previous ? { accepted: true, fresh: current } : REFUSED
  }

  #slot(): number {
    return Math.floor(this.#clock() / 1000 / this.#lifetime)
  }

  #of(slot: number): Promise<string> {
    let nonce = this.#slots.get(slot)
    if (nonce === undefined) {
      nonce = this.#key
        .then((key) => crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`covet-dpop-nonce:${slot}`)))
        .then((mac) => base64url.encode(new Uint8Array(mac)))
      this.#slots.set(slot, nonce)
      // Keep the slots a check can ask for: this one and the one before it.
      for (const known of this.#slots.keys())
        if (known < slot - 1 || known > slot + 1) this.#slots.delete(known)
    }
    return nonce
  }
}
