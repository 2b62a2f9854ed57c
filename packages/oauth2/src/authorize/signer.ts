import { ConfigError } from '@covet/core'
import { base64url } from 'jose'
import { timingSafeEqual } from '../lib/constant-time.js'

/** HMAC-SHA-256 over strings, for session cookies and CSRF tokens (Web Crypto, every runtime). */
export interface Signer {
  /** The base64url MAC of `purpose` and `parts`, each part length-prefixed so none can run into the next. */
  sign(purpose: string, ...parts: string[]): Promise<string>
  /** Whether `mac` is `sign(purpose, ...parts)`, compared in constant time. */
  verify(mac: string, purpose: string, ...parts: string[]): Promise<boolean>
}

/** Shortest secret accepted: 256 bits, the HMAC-SHA-256 output size (RFC 2104 §3). */
const MIN_SECRET_BYTES = 32

/**
 * A signer keyed by `secret` (at least 32 bytes), or by a random key made for this process when
 * none is given (then cookies and forms do not survive a restart or move between servers).
 */
export function createSigner(secret: string | Uint8Array | undefined): Signer {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  if (bytes !== undefined && bytes.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigError('cookieSecret', `must be at least ${MIN_SECRET_BYTES} bytes`)
  }
  const key =
    bytes === undefined
      ? crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      : crypto.subtle.importKey(
          'raw',
          bytes as Uint8Array<ArrayBuffer>,
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign'],
        )
  async function mac(purpose: string, parts: readonly string[]): Promise<Uint8Array> {
    const text = [purpose, ...parts].map((part) => `${part.length}:${part}`).join('')
    const signature = await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(text))
    return new Uint8Array(signature)
  }
  return {
    async sign(purpose, ...parts) {
      return base64url.encode(await mac(purpose, parts))
    },
    async verify(given, purpose, ...parts) {
      const expected = await mac(purpose, parts)
      let decoded: Uint8Array
      try {
        decoded = base64url.decode(given)
      } catch {
        return false
      }
      return timingSafeEqual(decoded, expected)
    },
  }
}

/** A random 256-bit value, base64url: session ids, CSRF nonces, authorization codes. */
export function randomToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)))
}

/** The base64url SHA-256 of `value`: the store keys codes and sessions by it, never by the value. */
export async function digest(value: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return base64url.encode(new Uint8Array(hash))
}
