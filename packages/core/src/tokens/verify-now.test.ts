import { beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import type { RevocationStore } from '../revocation/store.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { KID, SECRET } from '../test-support/keys.js'
import type { VerifiedToken } from '../types.js'

// verifyTokenNow: verifyToken without a promise where the verified-token cache answers at once.
const clock = frozenClock()
const options = { algorithm: 'HS256', keys: { key: SECRET, kid: KID }, clock: clock.now } as const

beforeEach(() => {
  clock.set(EPOCH)
})

/** What a call gave: the result itself, or a promise of it (settled here). */
async function settle(
  answer: VerifiedToken<object> | Promise<VerifiedToken<object>>,
): Promise<{ promise: boolean; outcome: unknown }> {
  const promise = answer instanceof Promise
  try {
    return { promise, outcome: await answer }
  } catch (error) {
    return { promise, outcome: error }
  }
}

/** A memory store that answers every revocation question later, as a store over the network does. */
function laterStore() {
  const store: RevocationStore = new MemoryRevocationStore({ clock: clock.now })
  const isRevoked = store.isRevoked.bind(store)
  const counts = { asked: 0 }
  store.isRevoked = (token) => {
    counts.asked++
    return Promise.resolve(isRevoked(token))
  }
  return { store, counts }
}

describe('verifyTokenNow', () => {
  it('gives a token the cache does not hold as a promise, and the same token once cached as the result itself', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    const first = await settle(auth.verifyTokenNow(token))
    expect(first.promise).toBe(true)
    const second = auth.verifyTokenNow(token)
    expect(second).not.toBeInstanceOf(Promise)
    expect(second).toBe(first.outcome)
    expect(second).toMatchObject({ subject: 'alice', type: 'access' })
  })

  it('gives a promise every time when the cache is off', async () => {
    const auth = await createJwtAuth({ ...options, cache: false })
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    expect((await settle(auth.verifyTokenNow(token))).promise).toBe(true)
  })

  it('refuses a cached token of the wrong type with a rejected promise, never a throw', async () => {
    const auth = await createJwtAuth(options)
    const { refreshToken } = await auth.createTokenPair('alice')
    await auth.verifyToken(refreshToken, { type: 'refresh' })
    const answer = await settle(auth.verifyTokenNow(refreshToken))
    expect(answer).toEqual({ promise: true, outcome: expect.objectContaining({ code: 'ERR_TOKEN_TYPE' }) })
  })

  it('refuses a cached token that expired, and forgets it', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    clock.advance(900 + 5)
    const answer = await settle(auth.verifyTokenNow(token))
    expect(answer).toEqual({ promise: true, outcome: expect.objectContaining({ code: 'ERR_TOKEN_EXPIRED' }) })
    expect(auth.stats().cacheEntries).toBe(0)
  })

  it('refuses a cached token revoked since it was cached', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    await auth.revokeToken(token)
    const answer = await settle(auth.verifyTokenNow(token))
    expect(answer).toEqual({ promise: true, outcome: expect.objectContaining({ code: 'ERR_TOKEN_REVOKED' }) })
  })

  it('waits for a store that answers later, and asks it once per call', async () => {
    const { store, counts } = laterStore()
    const auth = await createJwtAuth({ ...options, revocation: store })
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    counts.asked = 0
    const answer = await settle(auth.verifyTokenNow(token))
    expect(answer).toEqual({ promise: true, outcome: expect.objectContaining({ subject: 'alice' }) })
    expect(counts.asked).toBe(1)
    await auth.revokeToken(token)
    const revoked = await settle(auth.verifyTokenNow(token))
    expect(revoked.outcome).toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('refuses a forged token with a rejected promise', async () => {
    const auth = await createJwtAuth(options)
    const answer = await settle(auth.verifyTokenNow('a.b.c'))
    expect(answer).toEqual({ promise: true, outcome: expect.objectContaining({ code: 'ERR_TOKEN_INVALID' }) })
  })

  it('times a cached verification for an observer that records, through the promise', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    const outcomes: unknown[] = []
    auth.observe({ onVerify: () => (outcome) => outcomes.push(outcome) })
    const answer = await settle(auth.verifyTokenNow(token))
    expect(answer.promise).toBe(true)
    expect(outcomes).toEqual([{ cached: true, tokenType: 'access', error: undefined }])
  })

  it('serves a cached token at once to an observer that declines to record', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    auth.observe({ onVerify: () => undefined })
    expect(auth.verifyTokenNow(token)).not.toBeInstanceOf(Promise)
  })
})
