/**
 * RFC 9449 §10, RFC 7638 §3: a JWK SHA-256 thumbprint is the base64url of 32 bytes, 43 characters
 * whose last one carries 2 zero bits, so no other string can equal a key's computed thumbprint.
 */
const THUMBPRINT = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

/** Whether `value` can be the `dpop_jkt` of an authorization request (RFC 9449 §10). */
export function isJwkThumbprint(value: string): boolean {
  return THUMBPRINT.test(value)
}
