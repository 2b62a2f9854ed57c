import { exportJWK, exportPKCS8, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { ConfigError } from '../errors.js'
import { importKey } from './import.js'

// RFC 7638 §3.1: the example RSA key and its published thumbprint.
const RFC7638_JWK = {
  kty: 'RSA',
  e: 'AQAB',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3o' +
    'knjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHz' +
    'u6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8' +
    'awapJzKnqDKgw',
}
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'

/** Runs `fn`, expecting a ConfigError; returns it. */
async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

/** A secret of `length` bytes made of one printable marker, so its presence in a message is detectable. */
const secretOf = (length: number) => 'Z9'.repeat(length).slice(0, length)

describe('HMAC secret length (RFC 7518 §3.2)', () => {
  const cases = [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const
  for (const [alg, minimum] of cases) {
    it(`refuses a ${minimum - 1}-byte secret for ${alg}, naming the field and never the secret`, async () => {
      const secret = secretOf(minimum - 1)
      const error = await configError(createJwtAuth({ algorithm: alg, keys: secret }))
      expect(error).toMatchObject({ code: 'ERR_CONFIG', field: 'keys' })
      expect(error.message).not.toContain(secret)
      expect(String(error)).not.toContain(secret)
    })

    it(`accepts a ${minimum}-byte secret for ${alg}`, async () => {
      await expect(createJwtAuth({ algorithm: alg, keys: secretOf(minimum) })).resolves.toBeDefined()
      await expect(importKey(new Uint8Array(minimum), alg, 'keys')).resolves.toMatchObject({ alg })
    })
  }

  it('refuses a short secret given as bytes and as an oct JWK', async () => {
    await expect(importKey(new Uint8Array(31), 'HS256', 'keys')).rejects.toMatchObject({ code: 'ERR_CONFIG' })
    await expect(importKey({ kty: 'oct', k: 'AAAA' }, 'HS256', 'keys')).rejects.toMatchObject({
      code: 'ERR_CONFIG',
    })
  })

  it('refuses a non-extractable HMAC CryptoKey, whose length cannot be checked', async () => {
    const key = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    await expect(importKey(key, 'HS256', 'keys')).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'keys' })
  })
})

describe('asymmetric keys that do not fit', () => {
  it('refuses an RSA 1024 key for RS256', async () => {
    const pair = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )
    const error = await configError(createJwtAuth({ algorithm: 'RS256', keys: pair }))
    expect(error).toMatchObject({ code: 'ERR_CONFIG', field: 'keys' })
    expect(error.message).toContain('2048')
  })

  it('refuses an EC key for RS256', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    await expect(createJwtAuth({ algorithm: 'RS256', keys: privateKey })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'keys',
    })
  })

  it('refuses a P-384 key for ES256 and an Ed25519 key for ES256', async () => {
    const p384 = await generateKeyPair('ES384', { extractable: true })
    const ed = await generateKeyPair('EdDSA', { extractable: true })
    await expect(importKey(p384, 'ES256', 'keys')).rejects.toMatchObject({ code: 'ERR_CONFIG' })
    await expect(importKey(ed, 'ES256', 'keys')).rejects.toMatchObject({ code: 'ERR_CONFIG' })
  })

  it('refuses a secret for RS256 and a PEM for HS256, without echoing the PEM', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportPKCS8(privateKey)
    await expect(importKey(new Uint8Array(64), 'RS256', 'keys')).rejects.toMatchObject({ code: 'ERR_CONFIG' })
    const error = await configError(importKey(pem, 'HS256', 'keys'))
    const body = pem.split('\n')[1]!
    expect(error.message).not.toContain(body)
    expect(String(error)).not.toContain(body)
  })

  it('refuses a PKCS#1 private key PEM, asking for PKCS#8', async () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n'
    const error = await configError(importKey(pem, 'RS256', 'keys'))
    expect(error.message).toContain('PKCS#8')
    expect(error.message).not.toContain('MIIBOgIBAAJBAK')
  })
})

describe('the none algorithm (RFC 8725 §3.1)', () => {
  it('refuses algorithm "none" in the config', async () => {
    await expect(createJwtAuth({ algorithm: 'none' as never })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'algorithm',
    })
  })

  it('refuses a key pinned to "none" or "NONE"', async () => {
    for (const alg of ['none', 'NONE']) {
      await expect(
        createJwtAuth({ algorithm: 'HS256', keys: { key: secretOf(32), alg } }),
      ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'keys.alg' })
    }
  })

  it('refuses a JWK whose alg is "none"', async () => {
    await expect(
      importKey({ kty: 'oct', k: 'A'.repeat(43), alg: 'none' }, 'HS256', 'keys'),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'keys.alg',
    })
  })
})

describe('JWK use, key_ops and alg', () => {
  it('refuses a JWK with use "enc"', async () => {
    const jwk = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), use: 'enc' }
    await expect(importKey(jwk, 'ES256', 'keys')).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'keys.use',
    })
  })

  it('refuses a JWK whose key_ops allow neither sign nor verify', async () => {
    const jwk = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), key_ops: ['encrypt'] }
    await expect(importKey(jwk, 'ES256', 'keys')).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'keys.key_ops',
    })
  })

  it('refuses a JWK whose alg differs from the one it is pinned to', async () => {
    const jwk = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), alg: 'ES256' }
    await expect(importKey({ key: jwk, alg: 'ES384' }, 'ES256', 'keys')).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'keys.alg',
    })
  })

  it('names the index of the bad key in an array', async () => {
    await expect(
      createJwtAuth({ algorithm: 'HS256', keys: [secretOf(32), secretOf(8)] }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'keys[1]' })
  })

  it('refuses two keys with the same kid, and an empty key list', async () => {
    await expect(
      createJwtAuth({
        algorithm: 'HS256',
        keys: [
          { key: secretOf(32), kid: 'a' },
          { key: 'Y'.repeat(32), kid: 'a' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'keys[1].kid' })
    await expect(createJwtAuth({ algorithm: 'HS256', keys: [] })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'keys',
    })
  })
})

describe('key ids and the public JWK Set', () => {
  it('derives the kid as the RFC 7638 thumbprint (the §3.1 example)', async () => {
    const key = await importKey(RFC7638_JWK, 'RS256', 'keys')
    expect(key.kid).toBe(RFC7638_THUMBPRINT)
    expect(key.signKey).toBeUndefined()
  })

  it('keeps a kid given with the key', async () => {
    const key = await importKey({ ...RFC7638_JWK, kid: '2011-04-29' }, 'RS256', 'keys')
    expect(key.kid).toBe('2011-04-29')
  })

  it('keeps the kid of a JWK wrapped only to pin its algorithm', async () => {
    const jwk = { ...RFC7638_JWK, kid: '2011-04-29' }
    const key = await importKey({ key: jwk, alg: 'RS256' }, 'PS256', 'keys')
    expect(key).toMatchObject({ kid: '2011-04-29', alg: 'RS256' })
  })

  it('lets the wrapper kid win over the wrapped JWK kid', async () => {
    const jwk = { ...RFC7638_JWK, kid: '2011-04-29' }
    const key = await importKey({ key: jwk, kid: 'mine' }, 'RS256', 'keys')
    expect(key.kid).toBe('mine')
  })

  it('publishes only public members, with kid, alg and use "sig"', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true })
    const auth = await createJwtAuth({ algorithm: 'ES256', keys: pair })
    const [jwk] = auth.jwks().keys
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })
  })

  it('publishes no private member of a private RSA JWK', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const auth = await createJwtAuth({ algorithm: 'RS256', keys: await exportJWK(privateKey) })
    const [jwk] = auth.jwks().keys
    expect(Object.keys(jwk!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
  })

  it('never publishes an HMAC secret', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: secretOf(32) })
    expect(auth.jwks()).toEqual({ keys: [] })
  })

  it('signs with the first key and verifies with every key (rotation)', async () => {
    const old = await createJwtAuth({ algorithm: 'HS256', keys: { key: 'O'.repeat(32), kid: 'old' } })
    const rotated = await createJwtAuth({
      algorithm: 'HS256',
      keys: [
        { key: 'N'.repeat(32), kid: 'new' },
        { key: 'O'.repeat(32), kid: 'old' },
      ],
    })
    const before = await old.createToken('alice')
    const after = await rotated.createToken('alice')
    await expect(rotated.verifyToken(before)).resolves.toMatchObject({ subject: 'alice' })
    expect(JSON.parse(atob(after.split('.')[0]!))).toMatchObject({ kid: 'new' })
    await expect(old.verifyToken(after)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID', reason: 'key' })
  })

  it('tries every key of the algorithm, in order, for a token without kid', async () => {
    const secrets = ['A'.repeat(32), 'B'.repeat(32), 'C'.repeat(32)].map((s) => new TextEncoder().encode(s))
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: [secrets[0]!, secrets[1]!],
      issuer: 'https://issuer.example',
    })
    const now = Math.floor(Date.now() / 1000)
    const kidless = (secret: Uint8Array, exp: number) =>
      new SignJWT({ jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer('https://issuer.example')
        .setSubject('alice')
        .setIssuedAt(now - 120)
        .setExpirationTime(exp)
        .sign(secret)
    await expect(auth.verifyToken(await kidless(secrets[0]!, now + 60))).resolves.toMatchObject({
      subject: 'alice',
    })
    await expect(auth.verifyToken(await kidless(secrets[1]!, now + 60))).resolves.toMatchObject({
      subject: 'alice',
    })
    await expect(auth.verifyToken(await kidless(secrets[2]!, now + 60))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })
    // The second key verifies the signature; the answer is then about the token, not the first key.
    await expect(auth.verifyToken(await kidless(secrets[1]!, now - 60))).rejects.toMatchObject({
      code: 'ERR_TOKEN_EXPIRED',
    })
  })

  it('generates a key when none is given, and warns exactly once that tokens will not survive a restart', async () => {
    const warnings: string[] = []
    const auth = await createJwtAuth({ algorithm: 'ES256', warn: (message) => warnings.push(message) })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('restart')
    await expect(auth.verifyToken(await auth.createToken('alice'))).resolves.toMatchObject({
      subject: 'alice',
    })
  })
})
