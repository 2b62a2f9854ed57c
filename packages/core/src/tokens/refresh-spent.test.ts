import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import type { RevocationStore, TokenRef } from '../revocation/store.js'

const secret = 'a-test-secret-that-is-at-least-32-bytes-long'

describe('a spent refresh token', () => {
  it('is refused by verification once rotated, so introspection calls it inactive', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: secret })
    const pair = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(pair.refreshToken)
    await expect(auth.verifyToken(pair.refreshToken, { type: 'refresh' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
  })

  it('is still recognised as reuse and revokes the family when presented again', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: secret })
    const pair = await auth.createTokenPair('alice')
    const next = await auth.refreshAccessToken(pair.refreshToken)
    await expect(auth.refreshAccessToken(pair.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
    await expect(auth.verifyToken(next.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    await expect(auth.refreshAccessToken(next.refreshToken)).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
  })

  it('of a revoked family cannot be rotated even on its first use', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: secret })
    const pair = await auth.createTokenPair('alice')
    await auth.revokeToken(pair.accessToken, { family: true })
    await expect(auth.refreshAccessToken(pair.refreshToken)).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
  })
})

describe('a store whose writes fail', () => {
  it('makes refresh and revocation reject with ERR_STORE_UNAVAILABLE, never a raw error', async () => {
    const store = new MemoryRevocationStore()
    const fail = async () => {
      throw new Error('connection reset')
    }
    const broken: RevocationStore = {
      revoke: fail,
      revokeFamily: fail,
      revokeSubject: fail,
      advanceFamily: fail,
      countRotation: (...args) => store.countRotation(...args),
      saveRotation: fail,
      getRotation: fail,
      markUsed: fail,
      isRevoked: (token: TokenRef) => store.isRevoked(token),
    }
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: secret, revocation: broken })
    const pair = await auth.createTokenPair('alice')
    await expect(auth.refreshAccessToken(pair.refreshToken)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    })
    await expect(auth.revokeToken(pair.accessToken)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
  })
})
