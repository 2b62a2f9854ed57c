import { describe, expect, it } from 'vitest'
import { createJwtAuth } from './create-jwt-auth.js'
import { MemoryRevocationStore } from './revocation/memory-store.js'
import { EPOCH, frozenClock } from './test-support/clock.js'
import { KID, SECRET } from './test-support/keys.js'
import type { CovetEvent } from './types.js'

// The onEvent hook: audit and metrics events that never carry a raw token or a secret.
async function recorder() {
  const events: CovetEvent[] = []
  const clock = frozenClock()
  const auth = await createJwtAuth({
    algorithm: 'HS256',
    keys: { key: SECRET, kid: KID },
    clock: clock.now,
    onEvent: (event) => events.push(event),
  })
  return { auth, events, clock }
}

describe('onEvent', () => {
  it('reports issued, rotated, reuse, revoked and failed verifications, with no token or secret inside', async () => {
    const { auth, events } = await recorder()
    const pair = await auth.createTokenPair('alice', { roles: ['admin'] })
    const rotated = await auth.refreshAccessToken(pair.refreshToken)
    await expect(auth.refreshAccessToken(pair.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
    await expect(auth.verifyToken(rotated.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    const other = await auth.createToken('bob')
    await auth.revokeToken(other)
    await auth.revokeSubject('carol')
    // One signature character changed, whatever it was (a fixed suffix could equal the real one).
    const at = other.length - 10
    const forged = `${other.slice(0, at)}${other[at] === 'A' ? 'B' : 'A'}${other.slice(at + 1)}`
    await expect(auth.verifyToken(forged)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
    })

    expect(events.map((event) => event.type)).toEqual([
      'token.issued',
      'token.issued',
      'token.issued',
      'token.issued',
      'refresh.rotated',
      'refresh.reuse_detected',
      'token.verify_failed',
      'token.issued',
      'token.revoked',
      'subject.revoked',
      'token.verify_failed',
    ])
    expect(events).toContainEqual({
      type: 'token.issued',
      tokenType: 'refresh',
      subject: 'alice',
      jti: expect.any(String),
      familyId: expect.any(String),
    })
    expect(events).toContainEqual({
      type: 'refresh.reuse_detected',
      subject: 'alice',
      familyId: expect.any(String),
      jti: expect.any(String),
    })
    expect(events).toContainEqual({
      type: 'token.revoked',
      subject: 'bob',
      jti: expect.any(String),
      familyRevoked: false,
    })
    expect(events).toContainEqual({ type: 'subject.revoked', subject: 'carol' })
    expect(events).toContainEqual({
      type: 'token.verify_failed',
      code: 'ERR_TOKEN_REVOKED',
      reason: 'revoked',
    })
    expect(events).toContainEqual({
      type: 'token.verify_failed',
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })

    const serialized = JSON.stringify(events)
    const tokens = [pair.accessToken, pair.refreshToken, rotated.accessToken, rotated.refreshToken, other]
    for (const token of tokens) {
      for (const segment of token.split('.').slice(1)) expect(serialized).not.toContain(segment)
    }
    expect(serialized).not.toContain(SECRET)
  })

  it('reports a failed verification with its reason', async () => {
    const { auth, events, clock } = await recorder()
    const token = await auth.createToken('alice')
    clock.advance(900 + 5)
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })
    await expect(auth.verifyToken('not-a-token')).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
    expect(events.slice(1)).toEqual([
      { type: 'token.verify_failed', code: 'ERR_TOKEN_EXPIRED', reason: 'expired' },
      { type: 'token.verify_failed', code: 'ERR_TOKEN_INVALID', reason: 'malformed' },
    ])
  })

  it('does not let a throwing listener change the outcome', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: SECRET,
      clock: () => EPOCH * 1000,
      onEvent: () => {
        throw new Error('audit sink down')
      },
    })
    const token = await auth.createToken('alice')
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    await expect(auth.verifyToken('x.y.z')).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
  })
})

describe('when the revocation store fails', () => {
  /** A memory store whose reads fail as an unreachable server's would. */
  async function brokenStoreAuth(failOpen: boolean) {
    const events: CovetEvent[] = []
    const revocation = new MemoryRevocationStore()
    revocation.isRevoked = () => {
      throw new Error('connection reset')
    }
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: SECRET,
      revocation,
      failOpen,
      onEvent: (event) => events.push(event),
    })
    return { auth, events }
  }

  it('fails closed by default with ERR_STORE_UNAVAILABLE (503), reported with reason "store"', async () => {
    const { auth, events } = await brokenStoreAuth(false)
    const token = await auth.createToken('alice')
    await expect(auth.verifyToken(token)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      status: 503,
    })
    expect(events.at(-1)).toEqual({
      type: 'token.verify_failed',
      code: 'ERR_STORE_UNAVAILABLE',
      reason: 'store',
    })
  })

  it('accepts the token as not revoked with failOpen', async () => {
    const { auth } = await brokenStoreAuth(true)
    const token = await auth.createToken('alice')
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })
})
