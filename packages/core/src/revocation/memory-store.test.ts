import { afterEach, describe, expect, it, vi } from 'vitest'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { MemoryRevocationStore } from './memory-store.js'

const ref = (jti: string, extra: { sub?: string; iat?: number; fid?: string; generation?: number } = {}) => ({
  jti,
  sub: extra.sub ?? 'alice',
  iat: extra.iat ?? EPOCH,
  fid: extra.fid,
  generation: extra.generation,
})

function setup(maxEntries?: number) {
  const clock = frozenClock()
  const store = new MemoryRevocationStore({ clock: clock.now, ...(maxEntries && { maxEntries }) })
  return { clock, store }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('expiry without timers', () => {
  it('answers revoked until expiresAt, then forgets, and schedules no timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'setImmediate'] })
    const { clock, store } = setup()
    await store.revoke('a', EPOCH + 10)
    expect(vi.getTimerCount()).toBe(0)
    clock.advance(9)
    expect(store.isRevoked(ref('a'))).toBe(true)
    clock.advance(1)
    expect(store.isRevoked(ref('a'))).toBe(false)
  })

  it('drops expired entries from memory on the next write', async () => {
    const { clock, store } = setup()
    for (let i = 0; i < 1000; i++) await store.revoke(`j${i}`, EPOCH + 1 + (i % 100))
    expect(store.size).toBe(1000)
    clock.advance(100)
    await store.revoke('fresh', EPOCH + 1000)
    expect(store.size).toBe(1)
  })

  it('does not store an entry that has already expired', async () => {
    const { store } = setup()
    await store.revoke('old', EPOCH)
    expect(store.size).toBe(0)
    expect(store.isRevoked(ref('old'))).toBe(false)
  })

  it('keeps a rotation result for its grace window only', async () => {
    const { clock, store } = setup()
    await store.saveRotation('f1', 0, '{"pair":1}', 10)
    clock.advance(9)
    await expect(store.getRotation('f1', 0)).resolves.toBe('{"pair":1}')
    clock.advance(1)
    await expect(store.getRotation('f1', 0)).resolves.toBeUndefined()
  })

  it('keeps one rotation result per family: the latest, for the generation it left only', async () => {
    const { store } = setup()
    await store.saveRotation('f1', 0, '{"pair":1}', 10)
    await store.saveRotation('f1', 1, '{"pair":2}', 10)
    await expect(store.getRotation('f1', 0)).resolves.toBeUndefined()
    await expect(store.getRotation('f1', 1)).resolves.toBe('{"pair":2}')
    expect(store.size).toBe(1)
  })
})

describe('the bound', () => {
  it('refuses a new entry beyond maxEntries with ERR_STORE_FULL instead of forgetting a revocation', async () => {
    const { store } = setup(3)
    for (const jti of ['a', 'b', 'c']) await store.revoke(jti, EPOCH + 60)
    await expect(store.revoke('d', EPOCH + 60)).rejects.toMatchObject({ code: 'ERR_STORE_FULL', status: 503 })
    await expect(store.markUsed('d', EPOCH + 60)).rejects.toMatchObject({ code: 'ERR_STORE_FULL' })
    for (const jti of ['a', 'b', 'c']) expect(store.isRevoked(ref(jti))).toBe(true)
  })

  it('accepts a rewrite of an existing entry when full, and new entries once old ones expire', async () => {
    const { clock, store } = setup(2)
    await store.revoke('a', EPOCH + 10)
    await store.revoke('b', EPOCH + 60)
    await expect(store.revoke('a', EPOCH + 20)).resolves.toBeUndefined()
    clock.advance(20)
    await expect(store.revoke('c', EPOCH + 60)).resolves.toBeUndefined()
    expect(store.isRevoked(ref('b'))).toBe(true)
    expect(store.isRevoked(ref('c'))).toBe(true)
  })

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryRevocationStore({ maxEntries: 0 })).toThrow(TypeError)
    expect(() => new MemoryRevocationStore({ maxEntries: 1.5 })).toThrow(TypeError)
  })
})

describe('markUsed', () => {
  it('answers true to exactly one of 100 concurrent callers', async () => {
    const { store } = setup()
    const answers = await Promise.all(Array.from({ length: 100 }, () => store.markUsed('r', EPOCH + 60)))
    expect(answers.filter(Boolean)).toHaveLength(1)
  })

  it('forgets the marker once it expires', async () => {
    const { clock, store } = setup()
    await expect(store.markUsed('r', EPOCH + 60)).resolves.toBe(true)
    await expect(store.markUsed('r', EPOCH + 60)).resolves.toBe(false)
    clock.advance(60)
    await expect(store.markUsed('r', EPOCH + 120)).resolves.toBe(true)
  })

  it('does not mark a jti revoked', async () => {
    const { store } = setup()
    await store.markUsed('r', EPOCH + 60)
    expect(store.isRevoked(ref('r'))).toBe(false)
  })
})

describe('family generations', () => {
  it('lets exactly one of 100 concurrent callers advance a family from one generation', async () => {
    const { store } = setup()
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => store.advanceFamily('f1', 0, EPOCH + 60)),
    )
    expect(answers.filter(Boolean)).toHaveLength(1)
    await expect(store.advanceFamily('f1', 1, EPOCH + 60)).resolves.toBe(true)
    await expect(store.advanceFamily('f1', 1, EPOCH + 60)).resolves.toBe(false)
    await expect(store.advanceFamily('f1', 0, EPOCH + 60)).resolves.toBe(false)
  })

  it('takes a family it has no record of to be at the generation presented', async () => {
    const { store } = setup()
    await expect(store.advanceFamily('unknown', 7, EPOCH + 60)).resolves.toBe(true)
    await expect(store.advanceFamily('unknown', 8, EPOCH + 60)).resolves.toBe(true)
  })

  it('calls a refresh token of an older generation revoked, and its own and later ones not', async () => {
    const { store } = setup()
    await store.advanceFamily('f1', 0, EPOCH + 60)
    await store.advanceFamily('f1', 1, EPOCH + 60)
    expect(store.isRevoked(ref('a', { fid: 'f1', generation: 0 }))).toBe(true)
    expect(store.isRevoked(ref('b', { fid: 'f1', generation: 1 }))).toBe(true)
    expect(store.isRevoked(ref('c', { fid: 'f1', generation: 2 }))).toBe(false)
    // Access tokens carry no generation: rotating does not revoke them.
    expect(store.isRevoked(ref('d', { fid: 'f1' }))).toBe(false)
    expect(store.isRevoked(ref('e', { fid: 'f2', generation: 0 }))).toBe(false)
  })

  it('forgets a family at its expiry, and never shortens it', async () => {
    const { clock, store } = setup()
    await store.advanceFamily('f1', 0, EPOCH + 100)
    await store.advanceFamily('f1', 1, EPOCH + 50)
    clock.advance(99)
    expect(store.isRevoked(ref('a', { fid: 'f1', generation: 0 }))).toBe(true)
    clock.advance(1)
    expect(store.isRevoked(ref('a', { fid: 'f1', generation: 0 }))).toBe(false)
    await store.revoke('unrelated', EPOCH + 1000)
    expect(store.size).toBe(1)
  })

  it('holds one entry for a family rotated 100,000 times, and one for its subject’s count', async () => {
    const { clock, store } = setup()
    let won = 0
    for (let generation = 0; generation < 100_000; generation++) {
      // A hundred rotations a second, as refreshAccessToken drives the store: count, compare-and-set.
      if (generation % 100 === 0) clock.advance(1)
      await store.countRotation('alice', 1_000_000, 60)
      if (await store.advanceFamily('f1', generation, clock.seconds + 2_592_000)) won++
    }
    expect(won).toBe(100_000)
    expect(store.size).toBe(2)
    expect(store.isRevoked(ref('spent', { fid: 'f1', generation: 99_999 }))).toBe(true)
    expect(store.isRevoked(ref('current', { fid: 'f1', generation: 100_000 }))).toBe(false)
  })
})

describe('the rotation count per subject', () => {
  it('answers 0 up to the limit, then the seconds left in the window, then 0 in the next window', async () => {
    const { clock, store } = setup()
    for (let i = 0; i < 3; i++) await expect(store.countRotation('alice', 3, 60)).resolves.toBe(0)
    clock.advance(20)
    await expect(store.countRotation('alice', 3, 60)).resolves.toBe(40)
    await expect(store.countRotation('bob', 3, 60)).resolves.toBe(0)
    clock.advance(40)
    await expect(store.countRotation('alice', 3, 60)).resolves.toBe(0)
  })
})

describe('families and subjects', () => {
  it('revokes every token of a family, and no token without that fid', async () => {
    const { store } = setup()
    await store.revokeFamily('f1', EPOCH + 60)
    expect(store.isRevoked(ref('x', { fid: 'f1' }))).toBe(true)
    expect(store.isRevoked(ref('y', { fid: 'f2' }))).toBe(false)
    expect(store.isRevoked(ref('z'))).toBe(false)
  })

  it('revokes a subject’s tokens issued at or before the point, not after, and not other subjects', async () => {
    const { store } = setup()
    await store.revokeSubject('alice', EPOCH, EPOCH + 3600)
    expect(store.isRevoked(ref('a', { iat: EPOCH - 1 }))).toBe(true)
    expect(store.isRevoked(ref('b', { iat: EPOCH }))).toBe(true)
    expect(store.isRevoked(ref('c', { iat: EPOCH + 1 }))).toBe(false)
    expect(store.isRevoked(ref('d', { sub: 'bob', iat: EPOCH - 1 }))).toBe(false)
  })

  it('never moves a subject’s cut-off back, nor shortens how long it is kept', async () => {
    const { clock, store } = setup()
    await store.revokeSubject('alice', EPOCH + 100, EPOCH + 3600)
    await store.revokeSubject('alice', EPOCH, EPOCH + 60)
    expect(store.isRevoked(ref('a', { iat: EPOCH + 100 }))).toBe(true)
    clock.advance(61)
    expect(store.isRevoked(ref('a', { iat: EPOCH + 100 }))).toBe(true)
    clock.advance(3600)
    expect(store.isRevoked(ref('a', { iat: EPOCH + 100 }))).toBe(false)
  })

  it('forgets everything on close', async () => {
    const { store } = setup()
    await store.revoke('a', EPOCH + 60)
    await store.advanceFamily('f1', 0, EPOCH + 60)
    await store.close()
    expect(store.size).toBe(0)
    await expect(store.advanceFamily('f1', 0, EPOCH + 60)).resolves.toBe(true)
  })
})
