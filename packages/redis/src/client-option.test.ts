import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRedisStore } from './index.js'
import { ChildStore } from './test-support/child.js'
import { deleteKeys, nowSeconds, REDIS_URL, token, uniquePrefix } from './test-support/redis.js'

// `createRedisStore({ client })`: the caller's node-redis client, connected or not, is used and left open.
const prefix = uniquePrefix('client-option')
let child: ChildStore

beforeAll(async () => {
  child = await ChildStore.spawn({ store: { url: REDIS_URL, prefix } })
})

afterAll(async () => {
  await child.close()
  await deleteKeys(REDIS_URL, prefix)
})

it('uses a connected client, sees revocations from another process and leaves the client open on close', async () => {
  const client = createClient({ url: REDIS_URL })
  client.on('error', () => {})
  await client.connect()
  const store = await createRedisStore({ client, prefix })
  try {
    await child.call('revoke', 'from-child', nowSeconds() + 600)
    for (let i = 0; i < 100 && store.isRevoked(token('from-child')) !== true; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(store.isRevoked(token('from-child'))).toBe(true)
    await store.revoke('from-parent', nowSeconds() + 600)
    expect(await child.call('waitRevoked', token('from-parent'), 1000)).toMatchObject({
      value: { revoked: true },
    })
  } finally {
    await store.close()
  }
  expect(client.isReady).toBe(true)
  expect(await client.ping()).toBe('PONG')
  await client.close()
})

it('connects a client that was not connected yet', async () => {
  const client = createClient({ url: REDIS_URL })
  client.on('error', () => {})
  const store = await createRedisStore({ client, prefix })
  try {
    expect(client.isReady).toBe(true)
    expect(store.coherent).toBe(true)
    expect(store.isRevoked(token('nothing'))).toBe(false)
  } finally {
    await store.close()
    await client.close()
  }
})
