import { createJwtAuth } from '@covet/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { RedisServer } from './test-support/redis-server.js'

// A Redis restart must not forget revocations: the store warns when Redis persists nothing (or
// only snapshots), and with an append-only file a revocation outlives a crash of Redis.
const SECRET = 'redis-persistence-secret-0123456789abcdef'
const authOptions = {
  algorithm: 'HS256',
  keys: SECRET,
  issuer: 'covet-test',
  audience: 'covet-test',
} as const

const OFF =
  '@covet/redis: Redis persistence is off (appendonly no, no save points): a Redis restart forgets ' +
  'every revocation, and servers started afterwards accept revoked tokens. Set appendonly yes.'
const SNAPSHOTS_ONLY =
  '@covet/redis: Redis persists only RDB snapshots (save "3600 1"), no append-only file: a Redis ' +
  'crash forgets the revocations made since the last snapshot. Set appendonly yes.'

let server: RedisServer | undefined
const stores: RedisStore[] = []

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()))
  await server?.dispose()
  server = undefined
})

/** A store on the private server, keeping its start-up warnings. */
async function open(): Promise<{ store: RedisStore; warnings: string[] }> {
  const warnings: string[] = []
  const store = await createRedisStore({ url: server!.url, warn: (message) => warnings.push(message) })
  stores.push(store)
  return { store, warnings }
}

describe('the start-up warning about persistence', () => {
  it('warns when Redis persists nothing (appendonly no, save "")', async () => {
    server = await RedisServer.start()
    expect((await open()).warnings).toEqual([OFF])
  })

  it('warns when Redis persists only RDB snapshots', async () => {
    server = await RedisServer.start(['--save', '3600 1'])
    expect((await open()).warnings).toEqual([SNAPSHOTS_ONLY])
  })

  it('says nothing with appendonly yes', async () => {
    server = await RedisServer.start([], { aof: true })
    expect((await open()).warnings).toEqual([])
  })

  it('says nothing, and starts, when the server refuses CONFIG (as managed services do)', async () => {
    server = await RedisServer.start(['--rename-command', 'CONFIG', 'covet-test-hidden-config'])
    const { store, warnings } = await open()
    expect(warnings).toEqual([])
    await store.revoke('j-1', Math.floor(Date.now() / 1000) + 60)
    expect(store.isRevoked({ jti: 'j-1', sub: 'alice', iat: 0 })).toBe(true)
  })
})

describe('a Redis restart', () => {
  /** Revokes a fresh access token through a server on the private Redis; Redis then crashes and restarts. */
  async function revokeThenRestartRedis(): Promise<string> {
    const { store } = await open()
    const auth = await createJwtAuth({ ...authOptions, revocation: store })
    const { accessToken } = await auth.createTokenPair('alice')
    await auth.revokeToken(accessToken)
    await store.close()
    stores.length = 0
    await server!.restart()
    return accessToken
  }

  it('keeps a revocation with appendonly yes: a server started afterwards refuses the token', async () => {
    server = await RedisServer.start([], { aof: true })
    const revoked = await revokeThenRestartRedis()
    const { store } = await open()
    const auth = await createJwtAuth({ ...authOptions, revocation: store })
    await expect(auth.verifyToken(revoked)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED', status: 401 })
  })

  it('forgets it without persistence, which is why the store warns: a server started afterwards accepts the token', async () => {
    server = await RedisServer.start()
    const revoked = await revokeThenRestartRedis()
    const { store, warnings } = await open()
    expect(warnings).toEqual([OFF])
    const auth = await createJwtAuth({ ...authOptions, revocation: store })
    await expect(auth.verifyToken(revoked)).resolves.toMatchObject({ subject: 'alice' })
  })
})
