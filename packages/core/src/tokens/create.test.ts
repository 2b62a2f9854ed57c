import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { KID, SECRET, testKeyPair } from '../test-support/keys.js'

// Issuing tokens: what goes into them, and calls that must never mint one.
const clock = frozenClock()
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: { key: SECRET, kid: KID },
  issuer: 'https://issuer.test',
  audience: ['api', 'admin'],
  clock: clock.now,
})
const ARGUMENT = { code: 'ERR_INVALID_ARGUMENT' }

describe('createToken', () => {
  it('writes the RFC 9068 header and the registered claims', async () => {
    const token = await auth.createToken('alice', {
      scope: 'read',
      clientId: 'web',
      claims: { tenant: 't1' },
    })
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: KID, typ: 'at+jwt' })
    expect(decodeJwt(token)).toEqual({
      iss: 'https://issuer.test',
      aud: ['api', 'admin'],
      sub: 'alice',
      iat: EPOCH,
      exp: EPOCH + 900,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: 'read',
      client_id: 'web',
      tenant: 't1',
    })
  })

  it('gives refresh tokens their own typ and every token its own jti', async () => {
    const pair = await auth.createTokenPair('alice')
    expect(decodeProtectedHeader(pair.refreshToken).typ).toBe('refresh+jwt')
    expect(decodeJwt(pair.refreshToken).jti).not.toBe(decodeJwt(pair.accessToken).jti)
    expect(decodeJwt(pair.refreshToken).fid).toBe(decodeJwt(pair.accessToken).fid)
    expect(pair).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 2_592_000,
      scope: undefined,
    })
  })

  it('honours a ttl up to the configured maximum, and refuses 0, more, or a non-duration', async () => {
    const token = await auth.createToken('alice', { ttl: '5m' })
    expect(decodeJwt(token).exp).toBe(EPOCH + 300)
    for (const ttl of [0, 901, '1h', 'soon']) {
      await expect(auth.createToken('alice', { ttl: ttl as never })).rejects.toMatchObject(ARGUMENT)
    }
  })

  it('refuses an empty or non-string subject', async () => {
    await expect(auth.createToken('')).rejects.toMatchObject(ARGUMENT)
    await expect(auth.createToken(42 as never)).rejects.toMatchObject(ARGUMENT)
  })

  it('refuses roles and permissions that are not arrays of non-empty strings', async () => {
    await expect(auth.createToken('alice', { roles: [''] })).rejects.toMatchObject(ARGUMENT)
    await expect(auth.createToken('alice', { roles: 'admin' as never })).rejects.toMatchObject(ARGUMENT)
    await expect(auth.createToken('alice', { permissions: [1] as never })).rejects.toMatchObject(ARGUMENT)
  })

  it('refuses a scope that is not space-separated scope tokens (RFC 6749 §3.3)', async () => {
    for (const scope of ['', 'read  write', ' read', 'read "all"', 'caf\u00e9', 'a\\b']) {
      await expect(auth.createToken('alice', { scope })).rejects.toMatchObject(ARGUMENT)
    }
  })

  it('refuses custom claims that would override registered or Covet claims', async () => {
    for (const name of ['sub', 'exp', 'roles', 'fid', 'client_id']) {
      await expect(auth.createToken('alice', { claims: { [name]: 'x' } })).rejects.toMatchObject(ARGUMENT)
    }
    await expect(auth.createToken('alice', { claims: ['x'] as never })).rejects.toMatchObject(ARGUMENT)
  })

  it('cannot sign with a public key only, which still verifies', async () => {
    const { pair } = await testKeyPair('ES256')
    const signer = await createJwtAuth({ algorithm: 'ES256', keys: pair, clock: clock.now })
    const verifier = await createJwtAuth({ algorithm: 'ES256', keys: pair.publicKey, clock: clock.now })
    await expect(verifier.createToken('alice')).rejects.toMatchObject(ARGUMENT)
    await expect(verifier.verifyToken(await signer.createToken('alice'))).resolves.toMatchObject({
      subject: 'alice',
    })
  })
})
