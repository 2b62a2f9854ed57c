import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { deleteKeys, inspector, nowSeconds, REDIS_URL, uniquePrefix } from './test-support/redis.js'

// Refresh families in Redis: one generation key per family, one rotation count per subject.
const prefix = uniquePrefix('family')
let store: RedisStore
let redis: Awaited<ReturnType<typeof inspector>>

beforeAll(async () => {
  store = await createRedisStore({ url: REDIS_URL, prefix, retainAfterExpiry: 0 })
  redis = await inspector()
})

afterAll(async () => {
  await store.close()
  await redis.close()
  await deleteKeys(REDIS_URL, prefix)
})

const refresh = (fid: string, generation: number) => ({
  jti: `jti-${fid}-${generation}`,
  sub: 'alice',
  iat: nowSeconds(),
  fid,
  generation,
})

/** Every key under `under`. */
async function keysUnder(under: string): Promise<string[]> {
  const found: string[] = []
  for await (const keys of redis.scanIterator({ MATCH: `${under}*`, COUNT: 1000 })) found.push(...keys)
  return found.sort()
}

describe('advanceFamily', () => {
  it('lets exactly one of 50 concurrent callers move a family on from one generation', async () => {
    const exp = nowSeconds() + 600
    const results = await Promise.all(Array.from({ length: 50 }, () => store.advanceFamily('f-race', 0, exp)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await redis.get(`${prefix}family:f-race`)).toBe('1')
    expect(await store.advanceFamily('f-race', 0, exp)).toBe(false)
    expect(await store.advanceFamily('f-race', 1, exp)).toBe(true)
  })

  it('takes a family it has no key for to be at the generation presented', async () => {
    expect(await store.advanceFamily('f-unknown', 41, nowSeconds() + 600)).toBe(true)
    expect(await redis.get(`${prefix}family:f-unknown`)).toBe('42')
  })

  it('keeps the key until the expiry given, and never shortens it', async () => {
    await store.advanceFamily('f-ttl', 0, nowSeconds() + 600)
    await store.advanceFamily('f-ttl', 1, nowSeconds() + 10)
    expect(await redis.pTTL(`${prefix}family:f-ttl`)).toBeGreaterThan(590_000)
  })

  it('refuses a generation that is not a non-negative integer, and an empty family id', async () => {
    for (const generation of [-1, 1.5, Number.NaN]) {
      await expect(store.advanceFamily('f-bad', generation, nowSeconds() + 60)).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      })
    }
    await expect(store.advanceFamily('', 0, nowSeconds() + 60)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
  })
})

describe('isRevoked for refresh tokens', () => {
  it('calls a token behind its family’s generation revoked, and the current one not', async () => {
    await store.advanceFamily('f-spent', 0, nowSeconds() + 600)
    await store.advanceFamily('f-spent', 1, nowSeconds() + 600)
    expect(await store.isRevoked(refresh('f-spent', 0))).toBe(true)
    expect(await store.isRevoked(refresh('f-spent', 1))).toBe(true)
    expect(await store.isRevoked(refresh('f-spent', 2))).toBe(false)
    expect(await store.isRevoked(refresh('f-never-rotated', 0))).toBe(false)
    // An access token of the family carries no generation and answers from memory.
    expect(store.isRevoked({ jti: 'access', sub: 'alice', iat: nowSeconds(), fid: 'f-spent' })).toBe(false)
  })

  it('still refuses every token of a revoked family, from memory', async () => {
    await store.revokeFamily('f-revoked', nowSeconds() + 600)
    expect(store.isRevoked(refresh('f-revoked', 5))).toBe(true)
  })
})

describe('countRotation', () => {
  it('answers 0 up to the limit, then the seconds left in the window', async () => {
    for (let i = 0; i < 3; i++) expect(await store.countRotation('carol', 3, 60)).toBe(0)
    const wait = await store.countRotation('carol', 3, 60)
    expect(wait).toBeGreaterThan(58)
    expect(wait).toBeLessThanOrEqual(60)
    expect(await store.countRotation('dave', 3, 60)).toBe(0)
    const pttl = await redis.pTTL(`${prefix}rotations:carol`)
    expect(pttl).toBeGreaterThan(58_000)
    expect(pttl).toBeLessThanOrEqual(60_000)
  })
})

describe('the keys of one family rotated 100,000 times', () => {
  it('are two: its generation and its subject’s count', async () => {
    const own = uniquePrefix('family-100k')
    // 4,000 commands in flight at once: on a loaded machine the last answers come after the default 1 s.
    const big = await createRedisStore({ url: REDIS_URL, prefix: own, commandTimeout: '30s' })
    try {
      const exp = nowSeconds() + 2_592_000
      // One connection runs commands in the order sent: a batch of rotations is pipelined, in order.
      let won = 0
      for (let start = 0; start < 100_000; start += 2000) {
        const batch: Promise<unknown>[] = []
        for (let generation = start; generation < start + 2000; generation++) {
          batch.push(big.countRotation('alice', 1_000_000, 60))
          batch.push(big.advanceFamily('f-100k', generation, exp).then((moved) => moved && won++))
        }
        await Promise.all(batch)
      }
      expect(won).toBe(100_000)
      expect(await keysUnder(own)).toEqual([`${own}family:f-100k`, `${own}rotations:alice`])
      expect(await redis.get(`${own}family:f-100k`)).toBe('100000')
      expect(await big.isRevoked(refresh('f-100k', 99_999))).toBe(true)
      expect(await big.isRevoked(refresh('f-100k', 100_000))).toBe(false)
    } finally {
      await big.close()
      await deleteKeys(REDIS_URL, own)
    }
  }, 60_000)
})
