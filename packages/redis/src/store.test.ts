import { StoreUnavailableError } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { deleteKeys, inspector, nowSeconds, REDIS_URL, token, uniquePrefix } from './test-support/redis.js'

const prefix = uniquePrefix('store')
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

describe('revocation by jti', () => {
  it('refuses the revoked jti and nothing else, synchronously', async () => {
    const now = nowSeconds()
    await store.revoke('jti-1', now + 600)
    expect(store.isRevoked(token('jti-1'))).toBe(true)
    expect(store.isRevoked(token('jti-2'))).toBe(false)
  })

  it('writes a key that expires with the token (PTTL is the remaining lifetime)', async () => {
    await store.revoke('jti-ttl', nowSeconds() + 300)
    const pttl = await redis.pTTL(`${prefix}{rev}:j:jti-ttl`)
    expect(pttl).toBeGreaterThan(298_000)
    expect(pttl).toBeLessThanOrEqual(300_000)
  })

  it('keeps an entry past expiry by retainAfterExpiry, for the verifier clock tolerance', async () => {
    const other = await createRedisStore({ url: REDIS_URL, prefix, retainAfterExpiry: '1m' })
    try {
      await other.revoke('jti-retained', nowSeconds() + 10)
      const pttl = await redis.pTTL(`${prefix}{rev}:j:jti-retained`)
      expect(pttl).toBeGreaterThan(68_000)
      expect(pttl).toBeLessThanOrEqual(70_000)
    } finally {
      await other.close()
    }
  })

  it('never shortens an entry when the same jti is revoked again with an earlier expiry', async () => {
    await store.revoke('jti-twice', nowSeconds() + 500)
    await store.revoke('jti-twice', nowSeconds() + 5)
    expect(await redis.pTTL(`${prefix}{rev}:j:jti-twice`)).toBeGreaterThan(490_000)
  })

  it('writes nothing for a token that has already expired', async () => {
    await store.revoke('jti-expired', nowSeconds() - 10)
    expect(await redis.exists(`${prefix}{rev}:j:jti-expired`)).toBe(0)
    expect(store.isRevoked(token('jti-expired'))).toBe(false)
  })

  it('sets the key to expire at the token expiry and forgets the entry locally then', async () => {
    let clock = Date.now()
    const frozen = await createRedisStore({
      url: REDIS_URL,
      prefix,
      retainAfterExpiry: 0,
      clock: () => clock,
    })
    try {
      const exp = Math.floor(clock / 1000) + 30
      await frozen.revoke('jti-short', exp)
      expect(await redis.sendCommand(['PEXPIRETIME', `${prefix}{rev}:j:jti-short`])).toBe(exp * 1000)
      clock = exp * 1000 - 1
      expect(frozen.isRevoked(token('jti-short'))).toBe(true)
      clock = exp * 1000
      expect(frozen.isRevoked(token('jti-short'))).toBe(false)
    } finally {
      await frozen.close()
    }
  })
})

describe('revocation by family and by subject', () => {
  it('refuses every token of a revoked family, whatever its jti', async () => {
    await store.revokeFamily('family-1', nowSeconds() + 600)
    expect(store.isRevoked(token('a', 'bob', nowSeconds(), 'family-1'))).toBe(true)
    expect(store.isRevoked(token('b', 'bob', nowSeconds(), 'family-2'))).toBe(false)
    expect(store.isRevoked(token('c', 'bob', nowSeconds()))).toBe(false)
    expect(await redis.pTTL(`${prefix}{rev}:f:family-1`)).toBeGreaterThan(598_000)
  })

  it('refuses tokens of the subject issued at or before the time, and accepts later ones', async () => {
    const now = nowSeconds()
    await store.revokeSubject('carol', now - 100, now + 600)
    expect(store.isRevoked(token('x', 'carol', now - 200))).toBe(true)
    expect(store.isRevoked(token('y', 'carol', now - 100))).toBe(true)
    expect(store.isRevoked(token('z', 'carol', now - 99))).toBe(false)
    expect(store.isRevoked(token('w', 'dave', now - 200))).toBe(false)
    expect(await redis.get(`${prefix}{rev}:s:carol`)).toBe(String(now - 100))
  })

  it('keeps the later cut-off when a subject is revoked again with an earlier one', async () => {
    const now = nowSeconds()
    await store.revokeSubject('erin', now, now + 600)
    await store.revokeSubject('erin', now - 500, now + 100)
    expect(await redis.get(`${prefix}{rev}:s:erin`)).toBe(String(now))
    expect(store.isRevoked(token('e', 'erin', now))).toBe(true)
  })

  it('loads every live revocation when a new store starts', async () => {
    const now = nowSeconds()
    await store.revoke('jti-loaded', now + 600)
    await store.revokeFamily('family-loaded', now + 600)
    await store.revokeSubject('frank', now, now + 600)
    const fresh = await createRedisStore({ url: REDIS_URL, prefix })
    try {
      expect(fresh.isRevoked(token('jti-loaded'))).toBe(true)
      expect(fresh.isRevoked(token('n', 'gina', now, 'family-loaded'))).toBe(true)
      expect(fresh.isRevoked(token('n', 'frank', now))).toBe(true)
      expect(fresh.isRevoked(token('n', 'frank', now + 1))).toBe(false)
    } finally {
      await fresh.close()
    }
  })

  it('loads a snapshot larger than one scan page, subjects included', async () => {
    const bulk = await createRedisStore({
      url: REDIS_URL,
      prefix: `${prefix}bulk:`,
      commandTimeout: '10s',
    })
    const now = nowSeconds()
    try {
      const writes: Promise<void>[] = []
      for (let i = 0; i < 1500; i++) writes.push(bulk.revoke(`bulk-${i}`, now + 600))
      for (let i = 0; i < 600; i++) writes.push(bulk.revokeSubject(`subject-${i}`, now - 10, now + 600))
      await Promise.all(writes)
    } finally {
      await bulk.close()
    }
    const fresh = await createRedisStore({ url: REDIS_URL, prefix: `${prefix}bulk:` })
    try {
      let missing = 0
      for (let i = 0; i < 1500; i++) if (fresh.isRevoked(token(`bulk-${i}`, 'nobody')) !== true) missing++
      for (let i = 0; i < 600; i++)
        if (fresh.isRevoked(token('n', `subject-${i}`, now - 10)) !== true) missing++
      expect(missing).toBe(0)
      expect(fresh.isRevoked(token('n', 'subject-0', now - 9))).toBe(false)
    } finally {
      await fresh.close()
    }
  })

  it('indexes each entry once, with its expiry in milliseconds, and gives the index an expiry', async () => {
    const exp = nowSeconds() + 700
    await store.revoke('jti-indexed', exp)
    expect(await redis.zScore(`${prefix}{rev}:index`, 'j:jti-indexed')).toBe(exp * 1000)
    expect(await redis.pTTL(`${prefix}{rev}:index`)).toBeGreaterThan(0)
  })
})

describe('single-use markers and rotation results', () => {
  it('lets exactly one of 50 concurrent markUsed calls win', async () => {
    const exp = nowSeconds() + 600
    const results = await Promise.all(Array.from({ length: 50 }, () => store.markUsed('refresh-1', exp)))
    expect(results.filter(Boolean)).toHaveLength(1)
    const pttl = await redis.pTTL(`${prefix}used:refresh-1`)
    expect(pttl).toBeGreaterThan(598_000)
  })

  it('returns a saved rotation within its window, for its family and generation only', async () => {
    await store.saveRotation('family-2', 4, '{"pair":1}', 30)
    expect(await store.getRotation('family-2', 4)).toBe('{"pair":1}')
    expect(await store.getRotation('family-2', 3)).toBeUndefined()
    expect(await store.getRotation('family-3', 4)).toBeUndefined()
    const pttl = await redis.pTTL(`${prefix}rotation:family-2`)
    expect(pttl).toBeGreaterThan(29_000)
    expect(pttl).toBeLessThanOrEqual(30_000)
  })
})

describe('arguments and lifecycle', () => {
  it('rejects an empty jti with ERR_INVALID_ARGUMENT', async () => {
    await expect(store.revoke('', nowSeconds() + 60)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    await expect(store.markUsed('', nowSeconds() + 60)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
  })

  it('answers StoreUnavailableError once closed, and closing twice is harmless', async () => {
    const closing = await createRedisStore({ url: REDIS_URL, prefix })
    expect(closing.coherent).toBe(true)
    await closing.close()
    await closing.close()
    expect(closing.coherent).toBe(false)
    await expect(closing.isRevoked(token('any'))).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(closing.revoke('any', nowSeconds() + 60)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: 'The revocation store is closed',
    })
  })

  it('rejects with StoreUnavailableError when Redis cannot be reached at start-up', async () => {
    await expect(
      createRedisStore({ url: 'redis://127.0.0.1:1', prefix, connectTimeout: '300ms' }),
    ).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', status: 503 })
  })
})
