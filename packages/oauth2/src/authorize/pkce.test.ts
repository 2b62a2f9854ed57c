import { describe, expect, it } from 'vitest'
import { isS256Challenge, s256, verifyPkce } from './pkce.js'

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

describe('PKCE S256 (RFC 7636)', () => {
  it('computes the challenge of the RFC 7636 Appendix B example', async () => {
    expect(await s256(VERIFIER)).toBe(CHALLENGE)
    expect(isS256Challenge(CHALLENGE)).toBe(true)
  })

  it('accepts the verifier of a challenge and refuses another, the challenge itself and malformed ones', async () => {
    expect(await verifyPkce(VERIFIER, CHALLENGE)).toBe(true)
    for (const wrong of [
      undefined,
      CHALLENGE,
      `${VERIFIER}x`,
      VERIFIER.slice(1),
      'a'.repeat(42),
      'a'.repeat(129),
      `${VERIFIER.slice(0, 42)}+`,
    ]) {
      expect(await verifyPkce(wrong, CHALLENGE)).toBe(false)
    }
  })

  it('refuses challenges that are not 43 base64url characters', () => {
    for (const bad of ['', 'a'.repeat(42), 'a'.repeat(44), `${'a'.repeat(42)}=`, `${'a'.repeat(42)}+`]) {
      expect(isS256Challenge(bad)).toBe(false)
    }
  })
})
