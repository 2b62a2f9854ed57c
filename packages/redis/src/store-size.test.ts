import { createJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { deleteKeys, inspector, REDIS_URL, uniquePrefix } from './test-support/redis.js'

// Issue: each rotation used to leave a used-marker and a revocation in Redis for the refresh
// lifetime, so one user rotating in a loop grew Redis without bound. Keys now follow sessions.
const prefix = uniquePrefix('store-size')
let store: RedisStore
let redis: Awaited<ReturnType<typeof inspector>>

beforeAll(async () => {
  store = await createRedisStore({ url: REDIS_URL, prefix })
  redis = await inspector()
})

afterAll(async () => {
  await store.close()
  await redis.close()
  await deleteKeys(REDIS_URL, prefix)
})

/** Every key the store wrote under `under`. */
async function keysUnder(under: string): Promise<string[]> {
  const found: string[] = []
  for await (const keys of redis.scanIterator({ MATCH: `${under}*`, COUNT: 1000 })) found.push(...keys)
  return found.sort()
}

describe('Redis keys under rotations', () => {
  it('stay at two (the family, the subject’s count) after 200 rotations through refreshAccessToken', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'redis-store-size-secret-0123456789abcdef',
      revocation: store,
      refreshRateLimit: { limit: 1000, window: '1m' },
    })
    let pair = await auth.createTokenPair('alice')
    const first = pair.refreshToken
    for (let i = 0; i < 200; i++) pair = await auth.refreshAccessToken(pair.refreshToken)
    expect(await keysUnder(prefix)).toHaveLength(2)
    await expect(auth.verifyToken(first, { type: 'refresh' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
    await expect(auth.verifyToken(pair.refreshToken, { type: 'refresh' })).resolves.toMatchObject({
      subject: 'alice',
    })
    await expect(auth.refreshAccessToken(first)).rejects.toMatchObject({ code: 'ERR_REFRESH_REUSED' })
    await expect(auth.verifyToken(pair.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })
})
