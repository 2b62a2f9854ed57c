import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import { frozenClock } from '../test-support/clock.js'
import { KID, SECRET } from '../test-support/keys.js'

// Issue: each rotation used to leave a used-marker and a revocation for the refresh lifetime, so one
// user rotating in a loop filled the store for everyone. The store must grow with sessions instead.
const options = { algorithm: 'HS256', keys: { key: SECRET, kid: KID } } as const

describe('the memory store under rotations', () => {
  it('holds a constant number of entries after 300 rotations of one family through refreshAccessToken', async () => {
    const clock = frozenClock()
    const store = new MemoryRevocationStore({ clock: clock.now })
    const auth = await createJwtAuth({ ...options, clock: clock.now, revocation: store })
    let pair = await auth.createTokenPair('alice')
    const spent: string[] = []
    for (let i = 0; i < 300; i++) {
      clock.advance(1)
      spent.push(pair.refreshToken)
      pair = await auth.refreshAccessToken(pair.refreshToken)
    }
    // The family's generation and the subject's rotation count: nothing per rotation.
    expect(store.size).toBeLessThanOrEqual(2)
    // Every spent token is still refused, and is still reuse.
    for (const token of [spent[0]!, spent[150]!, spent[299]!]) {
      await expect(auth.verifyToken(token, { type: 'refresh' })).rejects.toMatchObject({
        code: 'ERR_TOKEN_REVOKED',
      })
    }
    await expect(auth.verifyToken(pair.refreshToken, { type: 'refresh' })).resolves.toMatchObject({
      subject: 'alice',
    })
    // Past the subject's rotation window (60 a minute by default), then a spent token comes back.
    clock.advance(60)
    await expect(auth.refreshAccessToken(spent[42]!)).rejects.toMatchObject({ code: 'ERR_REFRESH_REUSED' })
    await expect(auth.verifyToken(pair.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('grows by one entry per family, not per rotation, with many users rotating', async () => {
    const clock = frozenClock()
    const store = new MemoryRevocationStore({ clock: clock.now })
    const auth = await createJwtAuth({ ...options, clock: clock.now, revocation: store })
    const pairs = await Promise.all(Array.from({ length: 20 }, (_, i) => auth.createTokenPair(`user-${i}`)))
    for (let round = 0; round < 10; round++) {
      clock.advance(1)
      for (let i = 0; i < pairs.length; i++) pairs[i] = await auth.refreshAccessToken(pairs[i]!.refreshToken)
    }
    // One generation record per family, one rotation count per subject.
    expect(store.size).toBeLessThanOrEqual(40)
  })

  it('forgets a family once its newest refresh token has expired', async () => {
    const clock = frozenClock()
    const store = new MemoryRevocationStore({ clock: clock.now })
    const auth = await createJwtAuth({
      ...options,
      clock: clock.now,
      revocation: store,
      refreshTokenTtl: '1h',
    })
    let pair = await auth.createTokenPair('alice')
    for (let i = 0; i < 5; i++) pair = await auth.refreshAccessToken(pair.refreshToken)
    expect(store.size).toBeGreaterThan(0)
    // The newest refresh token is accepted until exp + the 5 s tolerance; its family record one second more.
    clock.advance(3600 + 5 + 1)
    await store.revoke('unrelated', clock.seconds + 60)
    expect(store.size).toBe(1)
  })
})
