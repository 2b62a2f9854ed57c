import { timingSafeEqual } from '../lib/constant-time.js'

const NONE = new Uint8Array(32)

/**
 * Remembers, per client, the secret it last authenticated with, as an HMAC-SHA-256 under a key
 * made for this process and never exported. A client presenting that secret again skips the
 * deliberate slowness of PBKDF2; any other secret still pays it, so a wrong secret costs what it
 * always did. Bounded by the number of clients; nothing of it leaves memory.
 */
export class VerifiedSecrets {
  readonly #key = crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  readonly #macs = new Map<string, Uint8Array>()

  async mac(secret: string): Promise<Uint8Array> {
    return new Uint8Array(await crypto.subtle.sign('HMAC', await this.#key, new TextEncoder().encode(secret)))
  }

  /** Whether `mac` is the remembered one for `clientId`, compared in constant time. */
  matches(clientId: string, mac: Uint8Array): boolean {
    const known = this.#macs.get(clientId)
    return timingSafeEqual(known ?? NONE, mac) && known !== undefined
  }

  remember(clientId: string, mac: Uint8Array): void {
    this.#macs.set(clientId, mac)
  }
}
