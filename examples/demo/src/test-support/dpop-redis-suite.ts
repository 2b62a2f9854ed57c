import { request as httpRequest } from 'node:http'
import { createDpopProof, type DpopKeyPair } from '@covet/core'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEnv, freePort, type Spawned, startBuiltDemo, waitUntilReady } from './process.js'

const REDIS_URL = 'redis://127.0.0.1:6379'
const PREFIX = `covet-demo-dpop-test-${process.pid}-${Date.now()}:`
// Both servers stand behind one public name, as behind a load balancer: proofs name it in htu.
const PUBLIC = 'http://demo.test'
const SECRET = 'a-shared-secret-of-more-than-32-bytes-for-dpop-servers'
const ALGS = 'algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request to the server on `port`, under the public Host every server answers to. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { host: 'demo.test', ...headers } },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
        })
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: text }),
        )
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

/**
 * Two demo processes sharing the Redis at 127.0.0.1:6379 (unique prefix, removed after): a DPoP
 * proof spent on one is refused on the other, and still after a restart; its memory expires with
 * the proof's window. Called from demo.test.ts, after the README suite's build.
 */
export function dpopRedisSuite(): void {
  describe('DPoP proofs on two demo servers sharing Redis', () => {
    const env = (port: number) =>
      demoEnv({
        PORT: String(port),
        COVET_ALGORITHM: 'HS256',
        COVET_SECRET: SECRET,
        COVET_ISSUER: PUBLIC,
        REDIS_URL,
        COVET_REDIS_PREFIX: PREFIX,
      })
    const servers: { demo: Spawned; port: number }[] = []
    let key: DpopKeyPair
    let accessToken: string

    async function startServer(port: number): Promise<Spawned> {
      const demo = startBuiltDemo(env(port))
      await waitUntilReady(`http://127.0.0.1:${port}/health`, demo, 30_000)
      return demo
    }
    const proof = (method: string, path: string, token?: string) =>
      createDpopProof(key, 'ES256', {
        method,
        url: `${PUBLIC}${path}`,
        ...(token === undefined ? {} : { accessToken: token }),
      })
    const me = async (port: number, dpop: string) =>
      send(port, 'GET', '/me', { authorization: `DPoP ${accessToken}`, dpop })

    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const port = await freePort()
        servers.push({ demo: await startServer(port), port })
      }
      key = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'sign',
        'verify',
      ])) as DpopKeyPair
      const issued = await send(
        servers[0]!.port,
        'POST',
        '/oauth/token',
        {
          authorization: `Basic ${Buffer.from('demo-app:demo-app-secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          dpop: await proof('POST', '/oauth/token'),
        },
        new URLSearchParams({
          grant_type: 'password',
          username: 'alice',
          password: 'alice-password',
        }).toString(),
      )
      expect(issued.status).toBe(200)
      const body = JSON.parse(issued.body) as { access_token: string; token_type: string }
      expect(body.token_type).toBe('DPoP')
      accessToken = body.access_token
    })

    afterAll(async () => {
      await Promise.all(servers.map(({ demo }) => demo.kill()))
      const client = createClient({ url: REDIS_URL })
      await client.connect()
      for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 500 })) {
        if (keys.length > 0) await client.del(keys)
      }
      await client.close()
    })

    it('refuses on the second server a proof the first one accepted, and after the first restarts', async () => {
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
      const used = await proof('GET', '/me', accessToken)
      expect((await me(a.port, used)).status).toBe(200)
      const replayed = await me(b.port, used)
      expect(replayed.status).toBe(401)
      expect(replayed.headers['www-authenticate']).toBe(
        `DPoP realm="covet-demo", error="invalid_dpop_proof", error_description="The DPoP proof was already used", ${ALGS}`,
      )
      expect(JSON.parse(replayed.body)).toMatchObject({ code: 'ERR_DPOP_PROOF_INVALID' })

      await a.demo.kill()
      a.demo = await startServer(a.port)
      expect((await me(a.port, used)).status).toBe(401)
      // A fresh proof of the same key still works: the token and the key outlived the restart.
      expect((await me(a.port, await proof('GET', '/me', accessToken))).status).toBe(200)
    })

    it("lets Redis forget every spent proof once its window is over (60 s + 10 s tolerance, plus the store's 60 s retention)", async () => {
      const client = createClient({ url: REDIS_URL })
      await client.connect()
      try {
        const spent: string[] = []
        for await (const keys of client.scanIterator({ MATCH: `${PREFIX}used:dpop:*`, COUNT: 500 })) {
          spent.push(...keys)
        }
        // The token request's proof and the two /me proofs of the test before.
        expect(spent.length).toBe(3)
        for (const name of spent) {
          const ttl = await client.pTTL(name)
          expect(ttl).toBeGreaterThan(0)
          expect(ttl).toBeLessThanOrEqual(141_000)
        }
      } finally {
        await client.close()
      }
    })
  })
}
