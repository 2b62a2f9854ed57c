import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore, type StoreOperationOutcome } from './index.js'
import { deleteKeys, nowSeconds, REDIS_URL, uniquePrefix } from './test-support/redis.js'

// store.observe: each Redis operation told to observers (what @covet/otel times), and store.size.

const prefix = uniquePrefix('observe')
let store: RedisStore

beforeAll(async () => {
  store = await createRedisStore({ url: REDIS_URL, prefix, retainAfterExpiry: 0 })
})

afterAll(async () => {
  await store.close()
  await deleteKeys(REDIS_URL, prefix)
})

/** Adds an observer recording `operation → outcome` in order; returns the record and its remover. */
function record(target: RedisStore) {
  const seen: [string, StoreOperationOutcome][] = []
  const stop = target.observe({ onOperation: (operation) => (outcome) => seen.push([operation, outcome]) })
  return { seen, stop }
}

describe('store.observe', () => {
  it('tells each Redis operation and that it succeeded, but not isRevoked (answered from memory)', async () => {
    const { seen, stop } = record(store)
    const now = nowSeconds()
    await store.revoke('observe-jti', now + 600)
    await store.revokeFamily('observe-fid', now + 600)
    await store.markUsed('observe-used', now + 600)
    await store.advanceFamily('observe-fid-2', 0, now + 600)
    expect(store.isRevoked({ jti: 'observe-jti', sub: 'alice', iat: now })).toBe(true)
    stop()
    await store.revoke('after-stop', now + 600)
    expect(seen).toEqual([
      ['revoke', { failed: false }],
      ['revokeFamily', { failed: false }],
      ['markUsed', { failed: false }],
      ['advanceFamily', { failed: false }],
    ])
  })

  it('tells the failed-login limiter operations under limiter.*', async () => {
    const limiter = store.limiter({ limit: 2, window: '1m', name: 'observe' })
    const { seen, stop } = record(store)
    await limiter.consume('someone')
    await limiter.reset('someone')
    stop()
    expect(seen).toEqual([
      ['limiter.consume', { failed: false }],
      ['limiter.reset', { failed: false }],
    ])
  })

  it('tells an operation that failed because Redis cannot be used', async () => {
    const closed = await createRedisStore({ url: REDIS_URL, prefix })
    await closed.close()
    const { seen } = record(closed)
    await expect(closed.revoke('jti', nowSeconds() + 60)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    })
    expect(seen).toEqual([['revoke', { failed: true }]])
  })

  it('counts the revocations it holds in size', async () => {
    const other = await createRedisStore({ url: REDIS_URL, prefix: uniquePrefix('observe-size') })
    try {
      expect(other.size).toBe(0)
      await other.revoke('a', nowSeconds() + 60)
      await other.revokeSubject('someone', nowSeconds(), nowSeconds() + 60)
      expect(other.size).toBe(2)
    } finally {
      await other.close()
    }
  })
})
