import { StoreUnavailableError } from '@covet/core'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { REVOKE, runScript } from './scripts.js'
import { nowSeconds, token } from './test-support/redis.js'
import { RedisServer } from './test-support/redis-server.js'

// A private redis-server, so killing, freezing and restarting it touches no other test.
const prefix = 'outage:'
const TIMEOUT = 300
let server: RedisServer
let store: RedisStore
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

async function until(condition: () => boolean, limitMs: number): Promise<number> {
  const start = performance.now()
  while (!condition()) {
    if (performance.now() - start > limitMs) throw new Error(`condition not met within ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return performance.now() - start
}

/** What isRevoked does now: a boolean, or the code it rejects with. */
async function check(ref = token('probe')): Promise<boolean | string> {
  try {
    return await store.isRevoked(ref)
  } catch (error) {
    return (error as StoreUnavailableError).code
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  server = await RedisServer.start()
})

beforeEach(async () => {
  store = await createRedisStore({
    url: server.url,
    prefix,
    commandTimeoutMs: TIMEOUT,
    heartbeatIntervalMs: 100,
    maxReconnectDelayMs: 100,
  })
})

afterEach(async () => {
  await store.close()
  expect(unhandled).toEqual([])
})

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  await server.kill()
})

describe('when Redis is killed', () => {
  it('fails closed with StoreUnavailableError, then resumes by itself when Redis is back', async () => {
    await store.revoke('before-crash', nowSeconds() + 600)
    expect(await check()).toBe(false)
    await server.kill()
    const failedAfter = await until(() => !store.coherent, TIMEOUT)
    expect(failedAfter).toBeLessThan(TIMEOUT)
    await expect(store.isRevoked(token('probe'))).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(store.isRevoked(token('probe'))).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      status: 503,
    })

    // Writes fail within the timeout too, never hang.
    const start = performance.now()
    await expect(store.revoke('during-crash', nowSeconds() + 600)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    })
    await expect(store.markUsed('during-crash', nowSeconds() + 600)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    })
    expect(performance.now() - start).toBeLessThan(TIMEOUT * 2)

    await server.start()
    await until(() => store.coherent, 5000)
    expect(await check()).toBe(false)
    // Redis came back empty (no persistence); what this store already knew stays revoked.
    expect(await check(token('before-crash'))).toBe(true)
    await store.revoke('after-restart', nowSeconds() + 600)
    expect(await check(token('after-restart'))).toBe(true)
  }, 15_000)
})

describe('when Redis is killed while requests keep coming', () => {
  it('answers every check and write within the timeout, as a result or StoreUnavailableError', async () => {
    const outcomes = new Map<string, number>()
    let slowest = 0
    let running = true
    const note = (outcome: string, start: number) => {
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      slowest = Math.max(slowest, performance.now() - start)
    }
    const traffic = (async () => {
      for (let i = 0; running; i++) {
        const start = performance.now()
        note(String(await check(token(`load-${i}`))), start)
        if (i % 10 === 0) {
          const writeStart = performance.now()
          await store.revoke(`load-${i}`, nowSeconds() + 600).then(
            () => note('written', writeStart),
            (error: StoreUnavailableError) => note(error.code, writeStart),
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await server.kill()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await server.start()
    await until(() => store.coherent, 5000)
    await new Promise((resolve) => setTimeout(resolve, 100))
    running = false
    await traffic

    expect([...outcomes.keys()].sort()).toEqual(['ERR_STORE_UNAVAILABLE', 'false', 'written'])
    expect(slowest).toBeLessThan(TIMEOUT + 100)
  }, 15_000)
})

describe('when Redis stops answering without closing the connection', () => {
  it('distrusts the cache within heartbeat plus timeout and times writes out', async () => {
    expect(await check()).toBe(false)
    server.freeze()
    try {
      const start = performance.now()
      await expect(store.revoke('frozen', nowSeconds() + 600)).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: `The revocation store did not answer within ${TIMEOUT} ms`,
      })
      expect(performance.now() - start).toBeLessThan(TIMEOUT + 200)
      await until(() => !store.coherent, 100 + TIMEOUT + 200)
      expect(await check()).toBe('ERR_STORE_UNAVAILABLE')
    } finally {
      server.thaw()
    }
    await until(() => store.coherent, 5000)
    expect(await check(token('frozen'))).toBe(true)
  }, 15_000)
})

describe('when the invalidation connection drops', () => {
  it('rebuilds the cache from Redis, so a revocation announced while it was down is not missed', async () => {
    const admin = await createClient({ url: server.url }).connect()
    try {
      // A revocation this store never hears of: written with its announcement sent elsewhere.
      const at = (nowSeconds() + 600) * 1000
      await runScript(
        admin,
        REVOKE,
        [`${prefix}{rev}:j:missed`, `${prefix}{rev}:index`],
        ['j:missed', '1', String(at), 'nobody-listens'],
      )
      expect(await check(token('missed'))).toBe(false)
      expect(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub'])).toBe(1)
      // Only a rebuild after the reconnection can make it known.
      await until(() => store.coherent && store.isRevoked(token('missed')) === true, 5000)
      expect(await check(token('missed'))).toBe(true)
    } finally {
      await admin.close()
    }
  }, 15_000)
})

describe('with a caller-supplied client that queues commands while offline', () => {
  it('refuses writes at once during the outage instead of queueing them for later', async () => {
    const client = createClient({ url: server.url, socket: { reconnectStrategy: 50 } })
    client.on('error', () => {})
    const own = await createRedisStore({ client, prefix, commandTimeoutMs: TIMEOUT })
    try {
      await server.kill()
      await until(() => !client.isReady, 1000)
      const start = performance.now()
      await expect(own.markUsed('queued', nowSeconds() + 600)).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      })
      expect(performance.now() - start).toBeLessThan(50)
      await server.start()
      await until(() => own.coherent, 5000)
      // The refused call left nothing behind: the token's first real use still wins.
      expect(await own.markUsed('queued', nowSeconds() + 600)).toBe(true)
    } finally {
      await own.close()
      await client.close()
    }
  }, 15_000)
})
