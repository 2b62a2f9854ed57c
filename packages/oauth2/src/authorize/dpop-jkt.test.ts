import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { isJwkThumbprint } from './dpop-jkt.js'

describe('dpop_jkt, a JWK SHA-256 thumbprint (RFC 9449 §10, RFC 7638)', () => {
  it('accepts the thumbprint of the RFC 7638 §3.1 example key', () => {
    expect(isJwkThumbprint('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')).toBe(true)
  })

  it('accepts the thumbprints of generated EC, EdDSA and RSA keys, and the base64url of any 32 bytes', async () => {
    for (const [alg, options] of [
      ['ES256', {}],
      ['ES384', {}],
      ['EdDSA', { crv: 'Ed25519' }],
      ['RS256', { modulusLength: 2048 }],
    ] as const) {
      const { publicKey } = await generateKeyPair(alg, options)
      expect(isJwkThumbprint(await calculateJwkThumbprint(await exportJWK(publicKey)))).toBe(true)
    }
    for (let i = 0; i < 256; i++) {
      expect(isJwkThumbprint(base64url.encode(crypto.getRandomValues(new Uint8Array(32))))).toBe(true)
    }
  })

  it('refuses a SHA-1 or SHA-384 thumbprint, base64 with padding or + and /, and 43 characters no digest encodes to', () => {
    for (const value of [
      base64url.encode(new Uint8Array(20)),
      base64url.encode(new Uint8Array(48)),
      'NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9Xs',
      'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs=',
      'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xt',
      ' NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
      '',
    ]) {
      expect(isJwkThumbprint(value)).toBe(false)
    }
  })
})
