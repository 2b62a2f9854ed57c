import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { frozenClock } from '../test-support/clock.js'
import { dpopTestKey } from '../test-support/dpop.js'
import { decodeParts } from '../test-support/jws.js'

const clock = frozenClock()
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'dpop-binding-tests-secret-0123456789abcdef',
  issuer: 'https://issuer.test',
  audience: 'api',
  clock: clock.now,
})
const key = await dpopTestKey()
const other = await dpopTestKey()

describe('tokens bound to a DPoP key (RFC 9449 §6.1)', () => {
  it('carry cnf.jkt, which verification keeps in the claims', async () => {
    const token = await auth.createToken('alice', { dpopJkt: key.jkt })
    expect(decodeParts(token).payload.cnf).toEqual({ jkt: key.jkt })
    expect((await auth.verifyToken(token)).claims.cnf).toEqual({ jkt: key.jkt })
  })

  it('bind the access token of a pair, and its refresh token only when asked (public clients, §5)', async () => {
    const confidential = await auth.createTokenPair('alice', { dpopJkt: key.jkt })
    expect(confidential.tokenType).toBe('DPoP')
    expect(decodeParts(confidential.accessToken).payload.cnf).toEqual({ jkt: key.jkt })
    expect(decodeParts(confidential.refreshToken).payload.cnf).toBeUndefined()
    const publicClient = await auth.createTokenPair('alice', { dpopJkt: key.jkt, bindRefreshToken: true })
    expect(decodeParts(publicClient.refreshToken).payload.cnf).toEqual({ jkt: key.jkt })
    expect((await auth.createTokenPair('alice')).tokenType).toBe('Bearer')
  })

  it('refuse a thumbprint that is not one, and a cnf smuggled in through custom claims', async () => {
    await expect(auth.createToken('alice', { dpopJkt: 'not-a-thumbprint' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
    await expect(auth.createToken('alice', { claims: { cnf: { jkt: key.jkt } } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
  })
})

describe('rotating a refresh token bound to a DPoP key', () => {
  it('needs a proof of that key, and refuses another key or none without spending the token', async () => {
    const pair = await auth.createTokenPair('alice', { dpopJkt: key.jkt, bindRefreshToken: true })
    for (const dpopJkt of [undefined, other.jkt]) {
      await expect(
        auth.refreshAccessToken(pair.refreshToken, dpopJkt === undefined ? {} : { dpopJkt }),
      ).rejects.toMatchObject({ code: 'ERR_TOKEN_BINDING', status: 401 })
    }
    const next = await auth.refreshAccessToken(pair.refreshToken, { dpopJkt: key.jkt })
    expect(next.tokenType).toBe('DPoP')
    expect(decodeParts(next.accessToken).payload.cnf).toEqual({ jkt: key.jkt })
    expect(decodeParts(next.refreshToken).payload.cnf).toEqual({ jkt: key.jkt })
  })

  it('binds the new access token of an unbound refresh token to the proof sent, leaving the refresh token unbound', async () => {
    const pair = await auth.createTokenPair('alice')
    const next = await auth.refreshAccessToken(pair.refreshToken, { dpopJkt: other.jkt })
    expect(next.tokenType).toBe('DPoP')
    expect(decodeParts(next.accessToken).payload.cnf).toEqual({ jkt: other.jkt })
    expect(decodeParts(next.refreshToken).payload.cnf).toBeUndefined()
    const plain = await auth.refreshAccessToken(next.refreshToken)
    expect(plain.tokenType).toBe('Bearer')
    expect(decodeParts(plain.accessToken).payload.cnf).toBeUndefined()
  })
})

describe('rotating an unbound refresh token with bindRefreshToken (a public client, RFC 9449 §5)', () => {
  it('binds the new refresh token to the proof key, so the family becomes sender-constrained', async () => {
    const pair = await auth.createTokenPair('alice')
    const next = await auth.refreshAccessToken(pair.refreshToken, {
      dpopJkt: key.jkt,
      bindRefreshToken: true,
    })
    expect(next.tokenType).toBe('DPoP')
    expect(decodeParts(next.accessToken).payload.cnf).toEqual({ jkt: key.jkt })
    const refresh = await auth.verifyToken(next.refreshToken, { type: 'refresh' })
    expect(refresh.claims.cnf).toEqual({ jkt: key.jkt })
  })

  it('refuses the new refresh token without a proof of that key, without spending it', async () => {
    const pair = await auth.createTokenPair('alice')
    const next = await auth.refreshAccessToken(pair.refreshToken, {
      dpopJkt: key.jkt,
      bindRefreshToken: true,
    })
    for (const options of [{}, { dpopJkt: other.jkt }, { dpopJkt: other.jkt, bindRefreshToken: true }]) {
      await expect(auth.refreshAccessToken(next.refreshToken, options)).rejects.toMatchObject({
        code: 'ERR_TOKEN_BINDING',
        status: 401,
      })
    }
    const retried = await auth.refreshAccessToken(next.refreshToken, { dpopJkt: key.jkt })
    expect(decodeParts(retried.refreshToken).payload.cnf).toEqual({ jkt: key.jkt })
  })

  it('leaves the new refresh token unbound with bindRefreshToken false or absent (a confidential client)', async () => {
    for (const options of [{ dpopJkt: key.jkt, bindRefreshToken: false }, { dpopJkt: key.jkt }]) {
      const pair = await auth.createTokenPair('alice')
      const next = await auth.refreshAccessToken(pair.refreshToken, options)
      expect(decodeParts(next.accessToken).payload.cnf).toEqual({ jkt: key.jkt })
      expect(decodeParts(next.refreshToken).payload.cnf).toBeUndefined()
      expect((await auth.refreshAccessToken(next.refreshToken)).tokenType).toBe('Bearer')
    }
  })

  it('binds nothing with bindRefreshToken but no dpopJkt', async () => {
    const pair = await auth.createTokenPair('alice')
    const next = await auth.refreshAccessToken(pair.refreshToken, { bindRefreshToken: true })
    expect(next.tokenType).toBe('Bearer')
    expect(decodeParts(next.accessToken).payload.cnf).toBeUndefined()
    expect(decodeParts(next.refreshToken).payload.cnf).toBeUndefined()
    expect((await auth.refreshAccessToken(next.refreshToken)).tokenType).toBe('Bearer')
  })

  it('keeps a bound refresh token bound with bindRefreshToken false', async () => {
    const pair = await auth.createTokenPair('alice', { dpopJkt: key.jkt, bindRefreshToken: true })
    const next = await auth.refreshAccessToken(pair.refreshToken, {
      dpopJkt: key.jkt,
      bindRefreshToken: false,
    })
    expect(decodeParts(next.refreshToken).payload.cnf).toEqual({ jkt: key.jkt })
  })

  it('refuses a bindRefreshToken that is not a boolean with ERR_INVALID_ARGUMENT, without spending the token', async () => {
    const pair = await auth.createTokenPair('alice')
    for (const bindRefreshToken of ['true', 1, null]) {
      await expect(
        auth.refreshAccessToken(pair.refreshToken, {
          dpopJkt: key.jkt,
          bindRefreshToken: bindRefreshToken as unknown as boolean,
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    }
    const next = await auth.refreshAccessToken(pair.refreshToken, {
      dpopJkt: key.jkt,
      bindRefreshToken: true,
    })
    expect(decodeParts(next.refreshToken).payload.cnf).toEqual({ jkt: key.jkt })
  })
})

describe('arguments that would bind a token wrongly', () => {
  it('refuses a dpopJkt that is not a thumbprint with ERR_INVALID_ARGUMENT before spending the refresh token', async () => {
    const pair = await auth.createTokenPair('alice')
    for (const dpopJkt of ['not-a-thumbprint', `${key.jkt}=`, 42]) {
      await expect(
        auth.refreshAccessToken(pair.refreshToken, { dpopJkt: dpopJkt as unknown as string }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    }
    const next = await auth.refreshAccessToken(pair.refreshToken, { dpopJkt: key.jkt })
    expect(next.tokenType).toBe('DPoP')
  })

  it('refuses a bindRefreshToken of createTokenPair that is not a boolean with ERR_INVALID_ARGUMENT', async () => {
    for (const bindRefreshToken of ['false', 0, null]) {
      await expect(
        auth.createTokenPair('alice', {
          dpopJkt: key.jkt,
          bindRefreshToken: bindRefreshToken as unknown as boolean,
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    }
  })
})
