import { compactVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { importKey } from '../keys/import.js'
import { precheck } from './precheck.js'

// RFC 7515 Appendix A: the JWS examples, exactly as printed (line breaks removed).
const PAYLOAD =
  'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ'
const PAYLOAD_TEXT = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'

const A1 = {
  jwk: {
    kty: 'oct',
    k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  },
  jws: `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${PAYLOAD}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`,
}

const A3 = {
  jwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  },
  jws: `eyJhbGciOiJFUzI1NiJ9.${PAYLOAD}.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q`,
}

// A.5: an Unsecured JWS, alg "none" and an empty signature.
const A5 = `eyJhbGciOiJub25lIn0.${PAYLOAD}.`

/** Just before the examples' exp (2011-03-22T18:43:00Z), so expiry cannot mask the result. */
const BEFORE_EXP = 1_300_819_300 * 1000

/** The engine's JWS layer: pre-check, the key pinned to one algorithm, then jose with only that algorithm. */
async function verifyJws(jws: string, jwk: JsonWebKey, alg: 'HS256' | 'ES256') {
  const header = precheck(jws, 8192)
  const key = await importKey(jwk, alg, 'keys')
  expect(header.alg).toBe(key.alg)
  return compactVerify(jws, key.verifyKey, { algorithms: [key.alg] })
}

describe('RFC 7515 Appendix A vectors at the JWS layer', () => {
  it('verifies the A.1 HS256 example with its JWK', async () => {
    const { payload, protectedHeader } = await verifyJws(A1.jws, A1.jwk, 'HS256')
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'HS256' })
    expect(new TextDecoder().decode(payload)).toBe(PAYLOAD_TEXT)
  })

  it('verifies the A.3 ES256 example with its public JWK', async () => {
    const { payload, protectedHeader } = await verifyJws(A3.jws, A3.jwk, 'ES256')
    expect(protectedHeader).toEqual({ alg: 'ES256' })
    expect(new TextDecoder().decode(payload)).toBe(PAYLOAD_TEXT)
  })

  it('refuses the A.3 example when one bit of its signature is flipped', async () => {
    const flipped = `${A3.jws.slice(0, -1)}A`
    await expect(verifyJws(flipped, A3.jwk, 'ES256')).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
  })

  it('refuses the A.1 example when its key is pinned to HS384', async () => {
    const key = await importKey({ key: A1.jwk, alg: 'HS384' }, 'HS256', 'keys')
    await expect(compactVerify(A1.jws, key.verifyKey, { algorithms: [key.alg] })).rejects.toMatchObject({
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
  })

  it('refuses the A.5 unsecured example in the pre-check', () => {
    expect(() => precheck(A5, 8192)).toThrow(expect.objectContaining({ code: 'ERR_TOKEN_INVALID' }))
  })

  it('refuses the A.5 example with a stray signature appended, on its alg', () => {
    expect(() => precheck(`${A5}c2ln`, 8192)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_INVALID', reason: 'algorithm' }),
    )
  })
})

describe('verifyToken on the RFC 7515 examples', () => {
  it('refuses the A.1 token, which is no Covet access token, with a typed error', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: A1.jwk, clock: () => BEFORE_EXP })
    await expect(auth.verifyToken(A1.jws)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
  })

  it('refuses the A.3 token, which has no iat, sub or jti, with a typed error', async () => {
    const auth = await createJwtAuth({ algorithm: 'ES256', keys: A3.jwk, clock: () => BEFORE_EXP })
    await expect(auth.verifyToken(A3.jws)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
  })

  it('refuses the A.5 unsecured token', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: A1.jwk, clock: () => BEFORE_EXP })
    await expect(auth.verifyToken(A5)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'malformed',
    })
  })
})
