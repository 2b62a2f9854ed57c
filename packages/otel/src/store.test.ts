import { randomUUID } from 'node:crypto'
import { createJwtAuth } from '@covet/core'
import { createRedisStore, type RedisStore } from '@covet/redis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { instrument } from './index.js'
import { ATTRIBUTES as A, METRICS as M } from './names.js'
import { createSdk, type Sdk } from './test-support/sdk.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

let sdk: Sdk
let store: RedisStore
let stop: () => void

beforeEach(async () => {
  sdk = createSdk()
  store = await createRedisStore({
    url: REDIS_URL,
    prefix: `covet-test:otel-store:${randomUUID().slice(0, 8)}:`,
  })
})
afterEach(async () => {
  stop?.()
  await store.close()
  await sdk.shutdown()
})

describe('a Redis store', () => {
  it('times each operation, by operation and outcome, in seconds', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'otel-store-secret-0123456789abcdef-0123',
      revocation: store,
      // Its keys in Redis expire with these tokens, within minutes.
      accessTokenTtl: '1m',
      refreshTokenTtl: '2m',
    })
    stop = instrument([auth, store], { meterProvider: sdk.meterProvider })
    const pair = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(pair.refreshToken)
    await auth.revokeToken(pair.accessToken)
    const operations = (await sdk.points(M.storeDuration)).map((p) => [
      p.attributes[A.storeOperation],
      p.attributes[A.outcome],
      p.value,
    ])
    expect(operations).toEqual([
      ['countRotation', 'success', 1],
      ['advanceFamily', 'success', 1],
      ['revoke', 'success', 1],
    ])
    expect((await sdk.metrics()).get(M.storeDuration)?.descriptor.unit).toBe('s')
    // Its size comes through the Covet instance that uses it.
    expect((await sdk.points(M.storeSize)).map((p) => p.value)).toEqual([1])
  })

  it('observes coherent as 1, then 0 once it can no longer answer; a failed operation is timed as failure', async () => {
    stop = instrument(store, { meterProvider: sdk.meterProvider })
    expect((await sdk.points(M.storeCoherent)).map((p) => p.value)).toEqual([1])
    await store.close()
    await expect(store.markUsed('jti', Math.floor(Date.now() / 1000) + 60)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    })
    expect((await sdk.points(M.storeCoherent)).map((p) => p.value)).toEqual([0])
    expect(await sdk.points(M.storeDuration)).toMatchObject([
      { attributes: { [A.storeOperation]: 'markUsed', [A.outcome]: 'failure' }, value: 1 },
    ])
  })
})
