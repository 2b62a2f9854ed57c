import { createJwtAuth, type JwtAuth, TokenRevokedError, withJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { ChildStore } from './test-support/child.js'
import { deleteKeys, REDIS_URL, uniquePrefix } from './test-support/redis.js'
import { RedisServer } from './test-support/redis-server.js'

// createJwtAuth over the Redis store, with a second auth instance in another process.
const SECRET = 'redis-e2e-secret-0123456789abcdef0123456789'
const prefix = uniquePrefix('e2e')
const authOptions = {
  algorithm: 'HS256',
  keys: SECRET,
  issuer: 'covet-test',
  audience: 'covet-test',
} as const

let store: RedisStore
let auth: JwtAuth
let others: ChildStore[] = []

beforeAll(async () => {
  store = await createRedisStore({ url: REDIS_URL, prefix })
  auth = await createJwtAuth({ ...authOptions, revocation: store })
  others = await Promise.all(
    [0, 1].map(() => ChildStore.spawn({ store: { url: REDIS_URL, prefix }, secret: SECRET })),
  )
}, 20_000)

afterAll(async () => {
  await Promise.all(others.map((other) => other.close()))
  await store.close()
  await deleteKeys(REDIS_URL, prefix)
})

describe('createJwtAuth({ revocation: redisStore }) across processes', () => {
  // How fast a revocation travels is measured by `pnpm bench:redis` (target: 100 ms), not asserted here.
  it('refuses on instance 2 an access token revoked through instance 1', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    expect(await others[0]!.call('verify', accessToken)).toMatchObject({ value: 'ok' })
    const failing = others[0]!.call('waitVerifyFails', accessToken, 5000)
    await auth.revokeToken(accessToken)
    expect(((await failing).value as { code: string }).code).toBe('ERR_TOKEN_REVOKED')
    await expect(auth.verifyToken(accessToken)).rejects.toBeInstanceOf(TokenRevokedError)
  })

  it('refuses on instance 2 every token of a subject revoked on instance 1', async () => {
    const { accessToken, refreshToken } = await auth.createTokenPair('bob')
    await auth.revokeSubject('bob')
    expect(await others[1]!.call('waitVerifyFails', accessToken, 2000)).toMatchObject({
      value: { code: 'ERR_TOKEN_REVOKED' },
    })
    expect(await others[1]!.call('waitVerifyFails', refreshToken, 2000)).toMatchObject({
      value: { code: 'ERR_TOKEN_REVOKED' },
    })
  })

  it('lets one of three concurrent refreshes on three processes win, and revokes the family for the reuse', async () => {
    const pair = await auth.createTokenPair('carol')
    const at = Date.now() + 300
    const remote = others.map((other) => other.call('refreshAt', pair.refreshToken, at))
    const mine = (async () => {
      while (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, 1))
      try {
        return { value: (await auth.refreshAccessToken(pair.refreshToken)).refreshToken }
      } catch (error) {
        return { error: (error as { code: string }).code }
      }
    })()
    const results = await Promise.all([...remote, mine])
    const winners = results.filter((r) => typeof r.value === 'string')
    expect(winners).toHaveLength(1)
    expect(results.filter((r) => r.error === 'ERR_REFRESH_REUSED')).toHaveLength(2)
    // RFC 9700 §4.14.2: the reuse revoked the family, so the winner's new refresh token is refused too.
    expect(await others[0]!.call('waitVerifyFails', winners[0]!.value, 2000)).toMatchObject({
      value: { code: 'ERR_TOKEN_REVOKED' },
    })
    await expect(auth.verifyToken(pair.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })
})

describe('withJwtAuth over the Redis store', () => {
  it('answers 503 problem+json while Redis is down and 200 again once it is back', async () => {
    const server = await RedisServer.start()
    const down = await createRedisStore({
      url: server.url,
      commandTimeout: '300ms',
      heartbeatInterval: '100ms',
      maxReconnectDelay: '100ms',
    })
    try {
      const local = await createJwtAuth({ ...authOptions, revocation: down })
      const handler = withJwtAuth(() => new Response('ok'), { auth: local, realm: 'api' })
      const { accessToken } = await local.createTokenPair('dave')
      const call = () =>
        handler(new Request('http://x/me', { headers: { authorization: `Bearer ${accessToken}` } }))

      expect((await call()).status).toBe(200)
      await server.kill()
      while (down.coherent) await new Promise((resolve) => setTimeout(resolve, 5))
      const res = await call()
      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('www-authenticate')).toBeNull()
      expect(await res.json()).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'Credentials cannot be verified right now; try again later',
        code: 'ERR_STORE_UNAVAILABLE',
      })

      await server.start()
      while (!down.coherent) await new Promise((resolve) => setTimeout(resolve, 5))
      const back = await call()
      expect(back.status).toBe(200)
      expect(await back.text()).toBe('ok')
    } finally {
      await down.close()
      await server.kill()
    }
  }, 15_000)
})
