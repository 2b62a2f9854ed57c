import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, DEMO_APP, login, tokenRequest } from './http.js'
import { demoEnv, freePort, type Spawned, startBuiltDemo, waitUntilReady } from './process.js'
import { type Relay, startRelay } from './proxy.js'

const REDIS = { host: '127.0.0.1', port: 6379 }
const PREFIX = `covet-demo-test-${process.pid}-${Date.now()}:`
const ISSUER = 'http://demo.test'
const SECRET = 'a-shared-secret-of-more-than-32-bytes-for-two-servers'

/** Polls `check` every 50 ms until it holds, for at most `ms`; resolves whether it did. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}

/**
 * Two demo processes sharing the Redis at 127.0.0.1:6379 under a unique prefix (removed after).
 * Called from demo.test.ts so that it runs after the README suite's build, never beside it.
 */
export function redisSuite(): void {
  describe('two demo servers sharing Redis (REDIS_URL)', () => {
    const servers: { demo: Spawned; base: string }[] = []
    let relay: Relay

    beforeAll(async () => {
      // The second server reaches Redis through a relay the test can cut.
      relay = await startRelay(REDIS)
      for (const redisPort of [REDIS.port, relay.port]) {
        const port = await freePort()
        const demo = startBuiltDemo(
          demoEnv({
            PORT: String(port),
            COVET_ALGORITHM: 'HS256',
            COVET_SECRET: SECRET,
            COVET_ISSUER: ISSUER,
            REDIS_URL: `redis://127.0.0.1:${redisPort}`,
            COVET_REDIS_PREFIX: PREFIX,
          }),
        )
        servers.push({ demo, base: `http://127.0.0.1:${port}` })
      }
      await Promise.all(servers.map(({ demo, base }) => waitUntilReady(`${base}/health`, demo, 30_000)))
    })

    afterAll(async () => {
      await Promise.all(servers.map(({ demo }) => demo.kill()))
      await relay?.cut().catch(() => {})
      const client = createClient({ url: `redis://${REDIS.host}:${REDIS.port}` })
      await client.connect()
      for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 500 })) {
        if (keys.length > 0) await client.del(keys)
      }
      await client.close()
    })

    it('says at start-up that revocations live in Redis', () => {
      for (const { demo } of servers)
        expect(demo.output()).toContain(`revocations in Redis (prefix ${PREFIX})`)
    })

    it('refuses on the second server, within 100 ms, a token logged out on the first', async () => {
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
      const { access_token } = await login(a.base, 'alice')
      expect((await bearer(`${b.base}/me`, access_token)).status).toBe(200)
      expect((await bearer(`${a.base}/logout`, access_token, { method: 'POST' })).status).toBe(204)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const refused = await bearer(`${b.base}/me`, access_token)
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    })

    it('shares the failed-login count: the lockout reached on one server holds on the other', async () => {
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
      const attempt = (base: string, password: string) =>
        fetch(`${base}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'password',
            username: 'carol',
            password,
            client_id: 'demo-app',
            client_secret: 'demo-app-secret',
          }),
        })
      for (let i = 0; i < 10; i++)
        expect((await attempt(i % 2 ? a.base : b.base, `wrong-${i}`)).status).toBe(400)
      const locked = await attempt(a.base, 'carol-password')
      expect(locked.status).toBe(429)
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    })

    it("counts demo-app's and the address's login attempts in Redis, for both servers", async () => {
      const redis = createClient({ url: `redis://${REDIS.host}:${REDIS.port}` })
      await redis.connect()
      try {
        const counts = async () => {
          const sources = []
          for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}limit:source:*`, COUNT: 500 }))
            sources.push(...keys)
          const values = await Promise.all(
            [`${PREFIX}limit:client:client:demo-app`, ...sources].map((k) => redis.get(k)),
          )
          return values.map(Number)
        }
        const [clientBefore = 0, ...sourcesBefore] = await counts()
        for (const { base } of servers) {
          const failed = await tokenRequest(base, DEMO_APP, {
            grant_type: 'password',
            username: `someone-${crypto.randomUUID()}`,
            password: 'guess',
          })
          expect(failed.status).toBe(400)
        }
        const [clientAfter, ...sourcesAfter] = await counts()
        expect(clientAfter).toBe(clientBefore + 2)
        const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
        expect(sum(sourcesAfter)).toBe(sum(sourcesBefore) + 2)
      } finally {
        await redis.close()
      }
    })

    it('answers 503 problem+json while Redis is unreachable, and recovers without a restart', async () => {
      const b = servers[1]!
      const { access_token } = await login(servers[0]!.base, 'bob')
      expect((await bearer(`${b.base}/me`, access_token)).status).toBe(200)
      await relay.cut()
      let outage: Response | undefined
      const failedClosed = await eventually(async () => {
        outage = await bearer(`${b.base}/me`, access_token)
        return outage.status === 503
      }, 10_000)
      expect(failedClosed).toBe(true)
      expect(outage!.headers.get('content-type')).toBe('application/problem+json')
      expect(await outage!.json()).toMatchObject({ status: 503, code: 'ERR_STORE_UNAVAILABLE' })
      await relay.restore()
      const recovered = await eventually(
        async () => (await bearer(`${b.base}/me`, access_token)).status === 200,
        15_000,
      )
      expect(recovered).toBe(true)
    })
  })
}
