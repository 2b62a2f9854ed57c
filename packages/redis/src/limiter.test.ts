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
  it('counts attempts up to the limit, then refuses without counting for the rest of the window', async () => {
    const limiter = store.limiter({ name: 'login', limit: 3, window: '1m' })
    expect(await limiter.consume('ivan')).toEqual({ allowed: true, count: 1, retryAfter: 60 })
    expect(await limiter.consume('ivan')).toEqual({ allowed: true, count: 2, retryAfter: 60 })
    expect(await limiter.consume('ivan')).toEqual({ allowed: true, count: 3, retryAfter: 60 })
    expect(await limiter.consume('ivan')).toEqual({ allowed: false, count: 3, retryAfter: 60 })
    expect(await limiter.consume('judy')).toEqual({ allowed: true, count: 1, retryAfter: 60 })
  })

  it('allows exactly the limit of 200 attempts made at once through two stores', async () => {
    const a = store.limiter({ name: 'burst', limit: 10, window: '15m' })
    const b = other.limiter({ name: 'burst', limit: 10, window: '15m' })
    const attempts = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).consume('mallory')),
    )
    const allowed = attempts.filter((attempt) => attempt.allowed)
    expect(allowed.map((attempt) => attempt.count).sort((x, y) => x - y)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ])
    expect(attempts.filter((attempt) => !attempt.allowed).every((attempt) => attempt.count === 10)).toBe(true)
  })

  it('counts attempts from every server against one window', async () => {
    const a = store.limiter({ name: 'shared', limit: 2, window: 30 })
    const b = other.limiter({ name: 'shared', limit: 2, window: 30 })
    expect((await a.consume('kim')).allowed).toBe(true)
    expect((await b.consume('kim')).allowed).toBe(true)
    expect(await a.consume('kim')).toEqual({ allowed: false, count: 2, retryAfter: 30 })
  })

  it('takes back one attempt on refund and deletes the counter once nothing is counted', async () => {
    const limiter = store.limiter({ name: 'refund', limit: 2, window: '10s' })
    await limiter.consume('lee')
    await limiter.consume('lee')
    await limiter.refund('lee')
    expect(await limiter.consume('lee')).toEqual({ allowed: true, count: 2, retryAfter: 10 })
    await limiter.refund('lee')
    await limiter.refund('lee')
    await limiter.refund('lee')
    await limiter.refund('nobody')
    const redis = await inspector()
    try {
      expect(await redis.exists([`${prefix}limit:refund:lee`, `${prefix}limit:refund:nobody`])).toBe(0)
    } finally {
      await redis.close()
    }
    expect(await limiter.consume('lee')).toEqual({ allowed: true, count: 1, retryAfter: 10 })
  })

  it('forgets a key on reset', async () => {
    const limiter = store.limiter({ name: 'reset', limit: 1, window: '10s' })
    expect((await limiter.consume('lee')).allowed).toBe(true)
    await limiter.reset('lee')
    expect(await limiter.consume('lee')).toEqual({ allowed: true, count: 1, retryAfter: 10 })
  })

  it('keeps limiters with different names apart and gives the counter the window as expiry', async () => {
    const users = store.limiter({ name: 'username', limit: 1, window: '2m' })
    const clients = store.limiter({ name: 'client', limit: 1, window: '2m' })
    expect(await users.consume('same')).toEqual({ allowed: true, count: 1, retryAfter: 120 })
    expect(await clients.consume('same')).toEqual({ allowed: true, count: 1, retryAfter: 120 })
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
