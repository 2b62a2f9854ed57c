import { afterEach, describe, expect, it, vi } from 'vitest'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { MemoryRevocationStore } from './memory-store.js'

const ref = (jti: string, extra: { sub?: string; iat?: number; fid?: string } = {}) => ({
  jti,
  sub: extra.sub ?? 'alice',
  iat: extra.iat ?? EPOCH,
  fid: extra.fid,
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
    await store.saveRotation('r1', '{"pair":1}', 10)
    clock.advance(9)
    await expect(store.getRotation('r1')).resolves.toBe('{"pair":1}')
    clock.advance(1)
    await expect(store.getRotation('r1')).resolves.toBeUndefined()
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
    await store.close()
    expect(store.size).toBe(0)
  })
})
