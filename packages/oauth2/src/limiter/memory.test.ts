import { describe, expect, it } from 'vitest'
import { frozenClock } from '../test-support/fixtures.js'
import { createMemoryLimiter } from './memory.js'

describe('createMemoryLimiter', () => {
  it('lets a key fail up to the limit, then answers the rest of the window', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 3, window: '15m', clock: clock.now })
    expect(await limiter.fail('k')).toBe(0)
    expect(await limiter.fail('k')).toBe(0)
    expect(await limiter.retryAfter('k')).toBe(0)
    clock.advance(60)
    expect(await limiter.fail('k')).toBe(840)
    expect(await limiter.retryAfter('k')).toBe(840)
  })

  it('opens the key again when the window ends', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 1, window: 900, clock: clock.now })
    expect(await limiter.fail('k')).toBe(900)
    clock.advance(899.5)
    expect(await limiter.retryAfter('k')).toBe(1)
    clock.advance(0.5)
    expect(await limiter.retryAfter('k')).toBe(0)
    expect(await limiter.fail('k')).toBe(900)
  })

  it('counts keys separately and forgets a key on reset', async () => {
    const limiter = createMemoryLimiter({ limit: 1, window: '1m', clock: frozenClock().now })
    await limiter.fail('a')
    expect(await limiter.retryAfter('a')).toBe(60)
    expect(await limiter.retryAfter('b')).toBe(0)
    await limiter.reset('a')
    expect(await limiter.retryAfter('a')).toBe(0)
  })

  it('stays within maxKeys, forgetting the oldest window first', async () => {
    const clock = frozenClock()
    const limiter = createMemoryLimiter({ limit: 1, window: '1h', maxKeys: 2, clock: clock.now })
    await limiter.fail('first')
    clock.advance(1)
    await limiter.fail('second')
    await limiter.fail('third')
    expect(await limiter.retryAfter('first')).toBe(0)
    expect(await limiter.retryAfter('second')).toBe(3600)
    expect(await limiter.retryAfter('third')).toBe(3600)
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
