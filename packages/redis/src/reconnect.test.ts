import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import {
  deleteKeys,
  failOnUnhandledRejections,
  inspector,
  nowSeconds,
  REDIS_URL,
  token,
  uniquePrefix,
  until,
} from './test-support/redis.js'
import { TcpProxy } from './test-support/tcp-proxy.js'

// A connection can die while the client is still greeting the server (a Redis that crashes or
// restarts while it accepts connections). The client must treat that attempt as failed and try
// again; a client that believes it is ready on a dead socket would keep the store unavailable.
const prefix = uniquePrefix('reconnect')
const TIMEOUT = 300
let proxy: TcpProxy
let inspect: Awaited<ReturnType<typeof inspector>>
failOnUnhandledRejections()

beforeAll(async () => {
  const redis = new URL(REDIS_URL)
  proxy = await TcpProxy.start(Number(redis.port || 6379), redis.hostname)
  inspect = await inspector()
})

afterAll(async () => {
  await proxy.close()
  await deleteKeys(REDIS_URL, prefix)
  await inspect.close()
})

/** Cut both connections, reset each reconnection once mid-handshake, then wait for recovery. */
async function cutAndResetHandshakes(store: RedisStore, resets: number): Promise<void> {
  expect(store.coherent).toBe(true)
  proxy.resetHandshakes(resets)
  proxy.dropAll()
  await until(() => proxy.resets === resets, 5000)
  await until(() => store.coherent, 5000)
}

describe('when a reconnection is reset during its handshake', () => {
  it('tries again, becomes coherent and writes reach Redis', async () => {
    const store = await createRedisStore({
      url: proxy.url,
      prefix,
      commandTimeout: `${TIMEOUT}ms`,
      heartbeatInterval: '100ms',
      maxReconnectDelay: '100ms',
    })
    try {
      await cutAndResetHandshakes(store, 2)
      await store.revoke('after-reset', nowSeconds() + 600)
      expect(await inspect.exists(`${prefix}{rev}:j:after-reset`)).toBe(1)
      expect(store.isRevoked(token('after-reset'))).toBe(true)
      expect(await store.markUsed('after-reset', nowSeconds() + 600)).toBe(true)
    } finally {
      await store.close()
    }
  }, 15_000)

  it('tries again on a caller-supplied client too', async () => {
    const client = createClient({ url: proxy.url, socket: { reconnectStrategy: 50 } })
    client.on('error', () => {})
    const store = await createRedisStore({
      client,
      prefix,
      commandTimeout: `${TIMEOUT}ms`,
      heartbeatInterval: '100ms',
    })
    try {
      await cutAndResetHandshakes(store, 2)
      expect(await store.markUsed('caller-after-reset', nowSeconds() + 600)).toBe(true)
      expect(await inspect.exists(`${prefix}used:caller-after-reset`)).toBe(1)
    } finally {
      await store.close()
      client.destroy()
    }
  }, 15_000)
})
