import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { nowSeconds, token } from './test-support/redis.js'
import { RedisServer } from './test-support/redis-server.js'

// A private redis-server, so that the command counts below see no other test's traffic.
let server: RedisServer
let store: RedisStore
let admin: ReturnType<typeof createClient>

/** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls(): Promise<Record<string, number>> {
  const info = await admin.info('commandstats')
  const calls: Record<string, number> = {}
  for (const match of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2])
  return calls
}

beforeAll(async () => {
  server = await RedisServer.start()
  // A long heartbeat keeps its PING out of the measured window.
  store = await createRedisStore({ url: server.url, prefix: 'trips:', heartbeatInterval: '10m' })
  admin = createClient({ url: server.url })
  await admin.connect()
})

afterAll(async () => {
  await store.close()
  await admin.close()
  await server.kill()
})

it('checks 10,000 non-revoked tokens without sending Redis a single command', async () => {
  const now = nowSeconds()
  for (let i = 0; i < 100; i++) await store.revoke(`revoked-${i}`, now + 600)
  await store.revokeFamily('revoked-family', now + 600)
  await store.revokeSubject('revoked-subject', now - 3600, now + 600)

  await admin.sendCommand(['CONFIG', 'RESETSTAT'])
  let revoked = 0
  for (let i = 0; i < 10_000; i++) {
    const answer = store.isRevoked(token(`live-${i}`, `user-${i % 50}`, now, `family-${i % 100}`))
    if (answer !== false) revoked++
  }
  const calls = await commandCalls()

  expect(revoked).toBe(0)
  // Only the RESETSTAT that started the count is counted (INFO counts itself after answering).
  expect(calls).toEqual({ 'config|resetstat': 1 })
})

it('still refuses revoked tokens from memory, again without a command', async () => {
  const now = nowSeconds()
  await admin.sendCommand(['CONFIG', 'RESETSTAT'])
  expect(store.isRevoked(token('revoked-7'))).toBe(true)
  expect(store.isRevoked(token('x', 'someone', now, 'revoked-family'))).toBe(true)
  expect(store.isRevoked(token('y', 'revoked-subject', now - 7200))).toBe(true)
  expect(await commandCalls()).toEqual({ 'config|resetstat': 1 })
})
