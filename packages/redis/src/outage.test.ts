import { StoreUnavailableError } from '@covet/core'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { REVOKE, runScript } from './scripts.js'
import { failOnUnhandledRejections, nowSeconds, token, until } from './test-support/redis.js'
import { RedisServer } from './test-support/redis-server.js'

// A private redis-server, so killing, freezing and restarting it touches no other test.
const prefix = 'outage:'
const TIMEOUT = 300
let server: RedisServer
let store: RedisStore
failOnUnhandledRejections()

const REFUSED = 'The revocation store is unavailable'
const TIMED_OUT = `The revocation store did not answer within ${TIMEOUT} ms`
const REFUSED_OR_TIMED_OUT = new RegExp(`^(${REFUSED}|${TIMED_OUT})$`)

/** What isRevoked does now: a boolean, or the code it rejects with. */
async function check(ref = token('probe')): Promise<boolean | string> {
  try {
    return await store.isRevoked(ref)
  } catch (error) {
    return (error as StoreUnavailableError).code
  }
}

beforeAll(async () => {
  server = await RedisServer.start()
})

beforeEach(async () => {
  store = await createRedisStore({
    url: server.url,
    prefix,
    commandTimeout: `${TIMEOUT}ms`,
    heartbeatInterval: '100ms',
    maxReconnectDelay: '100ms',
  })
})

afterEach(async () => {
  await store.close()
})

afterAll(async () => {
  await server.kill()
})

describe('when Redis is killed', () => {
  it('fails closed with StoreUnavailableError, then resumes by itself when Redis is back', async () => {
    await store.revoke('before-crash', nowSeconds() + 600)
    expect(await check()).toBe(false)
    await server.kill()
    await until(() => !store.coherent, 5000)
    await expect(store.isRevoked(token('probe'))).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(store.isRevoked(token('probe'))).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      status: 503,
    })

    // Writes fail too: refused once the connection is known to be down, or timed out, never hung.
    const failure = { code: 'ERR_STORE_UNAVAILABLE', message: expect.stringMatching(REFUSED_OR_TIMED_OUT) }
    await expect(store.revoke('during-crash', nowSeconds() + 600)).rejects.toMatchObject(failure)
    await expect(store.markUsed('during-crash', nowSeconds() + 600)).rejects.toMatchObject(failure)

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
  it('settles every check and write, as a result or a refusal or time-out StoreUnavailableError', async () => {
    const outcomes = new Map<string, number>()
    let running = true
    const note = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    const traffic = (async () => {
      for (let i = 0; running; i++) {
        note(String(await check(token(`load-${i}`))))
        if (i % 10 === 0) {
          await store.revoke(`load-${i}`, nowSeconds() + 600).then(
            () => note('written'),
            (error: StoreUnavailableError) => note(`${error.code}: ${error.message}`),
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

    // The traffic loop ended, so every call settled, each with one of these outcomes.
    const refusedWrite = `ERR_STORE_UNAVAILABLE: ${REFUSED}`
    const timedOutWrite = `ERR_STORE_UNAVAILABLE: ${TIMED_OUT}`
    const allowed = ['false', 'written', 'ERR_STORE_UNAVAILABLE', refusedWrite, timedOutWrite]
    expect([...outcomes.keys()].filter((outcome) => !allowed.includes(outcome))).toEqual([])
    expect([...outcomes.keys()]).toEqual(
      expect.arrayContaining(['false', 'written', 'ERR_STORE_UNAVAILABLE']),
    )
  }, 15_000)
})

describe('when Redis stops answering without closing the connection', () => {
  it('times writes out and distrusts the cache once the heartbeat goes unanswered', async () => {
    expect(await check()).toBe(false)
    server.freeze()
    try {
      await expect(store.revoke('frozen', nowSeconds() + 600)).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: TIMED_OUT,
      })
      await until(() => !store.coherent, 5000)
      expect(await check()).toBe('ERR_STORE_UNAVAILABLE')
    } finally {
      server.thaw()
    }
    await until(() => store.coherent, 5000)
    expect(await check(token('frozen'))).toBe(true)
  }, 15_000)

  it('closes without waiting for replies a frozen Redis will never send', async () => {
    server.freeze()
    try {
      // The write times out, but its command stays queued on the connection, unanswered.
      await expect(store.revoke('frozen-close', nowSeconds() + 600)).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      })
      await store.close()
      expect(store.coherent).toBe(false)
      await expect(store.markUsed('after-close', nowSeconds() + 600)).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: 'The revocation store is closed',
      })
    } finally {
      server.thaw()
    }
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
    const own = await createRedisStore({ client, prefix, commandTimeout: `${TIMEOUT}ms` })
    try {
      await server.kill()
      await until(() => !client.isReady, 5000)
      // Refused before it reaches the client, not timed out after sitting in its queue.
      await expect(own.markUsed('queued', nowSeconds() + 600)).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: REFUSED,
      })
      await server.start()
      await until(() => own.coherent, 5000)
      // The refused call left nothing behind: the token's first real use still wins.
      expect(await own.markUsed('queued', nowSeconds() + 600)).toBe(true)
    } finally {
      await own.close()
      client.destroy()
    }
  }, 15_000)
})

describe('when Redis resets the connections while the store closes', () => {
  it('closes without an uncaught connection error', async () => {
    const closing = await createRedisStore({ url: server.url, prefix, commandTimeout: '2s' })
    const uncaught: unknown[] = []
    const record = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', record)
    try {
      // Frozen, the server leaves close()'s PING unread; killed with it unread, its sockets reset.
      server.freeze()
      const closed = closing.close()
      await new Promise((resolve) => setTimeout(resolve, 100))
      await server.kill()
      await closed
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', record)
      await server.start()
    }
  }, 15_000)
})
