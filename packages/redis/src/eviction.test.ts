import { afterEach, expect, it } from 'vitest'
import { createRedisStore } from './index.js'
import { RedisServer } from './test-support/redis-server.js'

let server: RedisServer | undefined

afterEach(async () => {
  await server?.dispose()
})

// With an append-only file, so that the persistence warning (persistence.test.ts) stays out of these.
const start = (policy: string) => RedisServer.start(['--maxmemory-policy', policy], { aof: true })

it('warns at start-up when maxmemory-policy is allkeys-lru', async () => {
  server = await start('allkeys-lru')
  const warnings: string[] = []
  const store = await createRedisStore({ url: server.url, warn: (message) => warnings.push(message) })
  await store.close()
  expect(warnings).toEqual([
    '@covet/redis: Redis maxmemory-policy is "allkeys-lru"; under memory pressure Redis may evict ' +
      'revocation keys, which un-revokes tokens. Set maxmemory-policy to "noeviction".',
  ])
})

it('warns for volatile-ttl too, since every revocation key carries an expiry', async () => {
  server = await start('volatile-ttl')
  const warnings: string[] = []
  const store = await createRedisStore({ url: server.url, warn: (message) => warnings.push(message) })
  await store.close()
  expect(warnings).toHaveLength(1)
  expect(warnings[0]).toContain('"volatile-ttl"')
})

it('says nothing when maxmemory-policy is noeviction', async () => {
  server = await start('noeviction')
  const warnings: string[] = []
  const store = await createRedisStore({ url: server.url, warn: (message) => warnings.push(message) })
  await store.close()
  expect(warnings).toEqual([])
})
