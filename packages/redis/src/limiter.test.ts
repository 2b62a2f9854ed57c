import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { deleteKeys, inspector, REDIS_URL, uniquePrefix } from './test-support/redis.js'

const prefix = uniquePrefix('limiter')
let store: RedisStore
let other: RedisStore

beforeAll(async () => {
  store = await createRedisStore({ url: REDIS_URL, prefix })
  other = await createRedisStore({ url: REDIS_URL, prefix })
})

afterAll(async () => {
  await Promise.all([store.close(), other.close()])
  await deleteKeys(REDIS_URL, prefix)
})

describe('store.limiter', () => {
  it('allows failures under the limit and locks the key out for the rest of the window at the limit', async () => {
    const limiter = store.limiter({ name: 'login', limit: 3, window: '1m' })
    expect(await limiter.retryAfter('ivan')).toBe(0)
    expect(await limiter.fail('ivan')).toBe(0)
    expect(await limiter.fail('ivan')).toBe(0)
    expect(await limiter.fail('ivan')).toBe(60)
    expect(await limiter.retryAfter('ivan')).toBe(60)
    expect(await limiter.retryAfter('judy')).toBe(0)
  })

  it('counts failures from every server against one window', async () => {
    const a = store.limiter({ name: 'shared', limit: 2, window: 30 })
    const b = other.limiter({ name: 'shared', limit: 2, window: 30 })
    expect(await a.fail('kim')).toBe(0)
    expect(await b.fail('kim')).toBe(30)
    expect(await a.retryAfter('kim')).toBe(30)
  })

  it('forgets a key on reset', async () => {
    const limiter = store.limiter({ name: 'reset', limit: 1, window: '10s' })
    expect(await limiter.fail('lee')).toBe(10)
    await limiter.reset('lee')
    expect(await limiter.retryAfter('lee')).toBe(0)
  })

  it('keeps limiters with different names apart and gives the counter the window as expiry', async () => {
    const users = store.limiter({ name: 'username', limit: 1, window: '2m' })
    const clients = store.limiter({ name: 'client', limit: 1, window: '2m' })
    expect(await users.fail('same')).toBe(120)
    expect(await clients.retryAfter('same')).toBe(0)
    const redis = await inspector()
    try {
      const pttl = await redis.pTTL(`${prefix}limit:username:same`)
      expect(pttl).toBeGreaterThan(118_000)
      expect(pttl).toBeLessThanOrEqual(120_000)
    } finally {
      await redis.close()
    }
  })

  it('refuses a limit that is not a positive integer, naming the option', () => {
    expect(() => store.limiter({ limit: 0, window: '1m' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'limit' }),
    )
    expect(() => store.limiter({ limit: 3, window: 'soon' as '1m' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'window' }),
    )
  })
})
