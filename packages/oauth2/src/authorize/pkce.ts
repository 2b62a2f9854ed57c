import { base64url } from 'jose'
import { timingSafeEqual } from '../lib/constant-time.js'

/** RFC 7636 §4.1: code_verifier = 43*128unreserved. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/
/** RFC 7636 §4.2: an S256 challenge is the base64url of a SHA-256 digest: 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/

/** Whether `challenge` can be an S256 code challenge (RFC 7636 §4.2). */
export function isS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge)
}

/** BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * Whether `verifier` is well formed (RFC 7636 §4.1) and its S256 transform equals `challenge`
 * (§4.6), compared in constant time.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export async function verifyPkce(verifier: string | undefined, challenge: string): Promise<boolean> {
  if (verifier === undefined || !VERIFIER.test(verifier)) return false
  const encoder = new TextEncoder()
  return timingSafeEqual(encoder.encode(await s256(verifier)), encoder.encode(challenge))
}
