import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { deleteKeys, inspector, nowSeconds, REDIS_URL, uniquePrefix } from './test-support/redis.js'

const prefix = uniquePrefix('records')
let store: RedisStore
let other: RedisStore
let redis: Awaited<ReturnType<typeof inspector>>

beforeAll(async () => {
  store = await createRedisStore({ url: REDIS_URL, prefix })
  other = await createRedisStore({ url: REDIS_URL, prefix })
  redis = await inspector()
})

afterAll(async () => {
  await Promise.all([store.close(), other.close()])
  await redis.close()
  await deleteKeys(REDIS_URL, prefix)
})

describe('short-lived records in Redis (authorization codes, login sessions)', () => {
  it('writes one key that expires at expiresAt and is read by another server', async () => {
    await store.putRecord('code:a', '{"s":"issued"}', nowSeconds() + 60)
    await expect(other.getRecord('code:a')).resolves.toBe('{"s":"issued"}')
    const pttl = await redis.pTTL(`${prefix}record:code:a`)
    expect(pttl).toBeGreaterThan(58_000)
    expect(pttl).toBeLessThanOrEqual(60_000)
  })

  it('swaps a live record for a new value, answers the old one and keeps the expiry', async () => {
    await store.putRecord('code:b', 'issued', nowSeconds() + 30)
    await expect(other.swapRecord('code:b', 'spent')).resolves.toBe('issued')
    await expect(store.swapRecord('code:b', 'reused')).resolves.toBe('spent')
    await expect(store.getRecord('code:b')).resolves.toBe('reused')
    const pttl = await redis.pTTL(`${prefix}record:code:b`)
    expect(pttl).toBeGreaterThan(28_000)
    expect(pttl).toBeLessThanOrEqual(30_000)
  })

  it('leaves an unknown key missing when asked to swap it', async () => {
    await expect(store.swapRecord('code:never-issued', 'spent')).resolves.toBeUndefined()
    expect(await redis.exists(`${prefix}record:code:never-issued`)).toBe(0)
  })

  it('gives the stored value to exactly one of 50 concurrent swaps from two servers', async () => {
    await store.putRecord('code:race', 'issued', nowSeconds() + 60)
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? store : other).swapRecord('code:race', 'spent')),
    )
    expect(answers.filter((answer) => answer === 'issued')).toHaveLength(1)
    expect(answers.filter((answer) => answer === 'spent')).toHaveLength(49)
  })

  it('writes nothing for a record whose expiry has passed', async () => {
    await store.putRecord('code:old', 'x', nowSeconds() - 1)
    expect(await redis.exists(`${prefix}record:code:old`)).toBe(0)
    await expect(store.getRecord('code:old')).resolves.toBeUndefined()
  })

  it('refuses an empty key with ERR_INVALID_ARGUMENT', async () => {
    await expect(store.putRecord('', 'x', nowSeconds() + 5)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
  })
})
