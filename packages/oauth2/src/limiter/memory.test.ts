import { describe, expect, it } from 'vitest'
import { frozenClock } from '../test-support/fixtures.js'
import { createMemoryLimiter } from './memory.js'

describe('createMemoryLimiter', () => {
  it('counts attempts up to the limit, then refuses without counting until the window ends', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 3, window: '15m', clock: clock.now })
    expect(await limiter.consume('k')).toEqual({ allowed: true, count: 1, retryAfter: 900 })
    expect(await limiter.consume('k')).toEqual({ allowed: true, count: 2, retryAfter: 900 })
    clock.advance(60)
    expect(await limiter.consume('k')).toEqual({ allowed: true, count: 3, retryAfter: 840 })
    expect(await limiter.consume('k')).toEqual({ allowed: false, count: 3, retryAfter: 840 })
    expect(await limiter.consume('k')).toEqual({ allowed: false, count: 3, retryAfter: 840 })
  })

  it('allows exactly the limit of 200 attempts made at once', async () => {
    const limiter = createMemoryLimiter({ limit: 10, window: '15m', clock: frozenClock().now })
    const attempts = await Promise.all(Array.from({ length: 200 }, () => limiter.consume('k')))
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(10)
    expect(attempts.filter((attempt) => attempt.allowed).map((attempt) => attempt.count)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ])
  })

  it('opens the key again when the window ends', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 1, window: 900, clock: clock.now })
    expect((await limiter.consume('k')).allowed).toBe(true)
    clock.advance(899.5)
    expect(await limiter.consume('k')).toEqual({ allowed: false, count: 1, retryAfter: 1 })
    clock.advance(0.5)
    expect(await limiter.consume('k')).toEqual({ allowed: true, count: 1, retryAfter: 900 })
  })

  it('takes back one attempt on refund, and forgets the window once nothing is counted', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 2, window: '1m', clock: clock.now })
    await limiter.consume('k')
    await limiter.consume('k')
    await limiter.refund('k')
    clock.advance(30)
    expect(await limiter.consume('k')).toEqual({ allowed: true, count: 2, retryAfter: 30 })
    await limiter.refund('k')
    await limiter.refund('k')
    await limiter.refund('k')
    expect(await limiter.consume('k')).toEqual({ allowed: true, count: 1, retryAfter: 60 })
    await limiter.refund('never-counted')
    expect(await limiter.consume('never-counted')).toEqual({ allowed: true, count: 1, retryAfter: 60 })
  })

  it('counts keys separately and forgets a key on reset', async () => {
    const limiter = createMemoryLimiter({ limit: 1, window: '1m', clock: frozenClock().now })
    await limiter.consume('a')
    expect((await limiter.consume('a')).allowed).toBe(false)
    expect((await limiter.consume('b')).allowed).toBe(true)
    await limiter.reset('a')
    expect(await limiter.consume('a')).toEqual({ allowed: true, count: 1, retryAfter: 60 })
  })

  it('stays within maxKeys, forgetting the oldest window first', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 1, window: '1h', maxKeys: 2, clock: clock.now })
    await limiter.consume('first')
    clock.advance(1)
    await limiter.consume('second')
    await limiter.consume('third')
    expect((await limiter.consume('first')).allowed).toBe(true)
    expect(await limiter.consume('third')).toEqual({ allowed: false, count: 1, retryAfter: 3600 })
  })

  it('refuses bad options with ConfigError naming the option', () => {
    expect(() => createMemoryLimiter({ limit: 0, window: '1m' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'limit' }),
    )
    expect(() => createMemoryLimiter({ limit: 1, window: 'soon' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'window' }),
    )
    expect(() => createMemoryLimiter({ limit: 1, window: 0 })).toThrow(
      expect.objectContaining({ field: 'window' }),
    )
  })
})
