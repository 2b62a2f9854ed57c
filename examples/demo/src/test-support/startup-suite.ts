import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJwtAuth, type Duration } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from './http.js'
import {
  demoEnv,
  freePort,
  type Spawned,
  startBuiltDemo,
  startDemoLikeReadme,
  waitUntilReady,
} from './process.js'

const REALM = 'covet-demo'

/**
 * Start-up with a weak key, and a demo on a known HS256 secret (so the test can sign expired and
 * forged tokens). Called from demo.test.ts, after the README suite has built the demo.
 */
export function startupSuite(): void {
  describe('start-up refusals', () => {
    it('a weak HMAC secret stops `pnpm demo` with a non-zero exit, naming the problem but not the secret', async () => {
      const secret = 'only-twenty-bytes-xx'
      const demo = startDemoLikeReadme(
        demoEnv({ PORT: String(await freePort()), COVET_ALGORITHM: 'HS256', COVET_SECRET: secret }),
      )
      try {
        const code = await demo.exited
        expect(code).not.toBe(0)
        expect(demo.output()).toContain(
          'COVET_SECRET: an HS256 secret must be at least 32 bytes (RFC 7518 §3.2)',
        )
        expect(demo.output()).not.toContain(secret)
      } finally {
        await demo.kill()
      }
    })

    it('an RSA key under 2048 bits stops the demo with exit 1', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'covet-demo-'))
      try {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
        const file = join(dir, 'weak.pem')
        await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }))
        const demo = startBuiltDemo(demoEnv({ PORT: String(await freePort()), COVET_PRIVATE_KEY_FILE: file }))
        expect(await demo.exited).toBe(1)
        expect(demo.output()).toContain(
          'COVET_PRIVATE_KEY_FILE: RSA keys must be at least 2048 bits (RFC 7518 §3.3)',
        )
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    })
  })

  describe('the demo with COVET_SECRET (built server, as its start script runs it)', () => {
    const secret = 'a-demo-secret-of-more-than-32-bytes-for-hs256'
    let demo: Spawned
    let base: string

    beforeAll(async () => {
      const port = await freePort()
      base = `http://127.0.0.1:${port}`
      demo = startBuiltDemo(demoEnv({ PORT: String(port), COVET_ALGORITHM: 'HS256', COVET_SECRET: secret }))
      await waitUntilReady(`${base}/health`, demo, 30_000)
    })
    afterAll(async () => {
      await demo?.kill()
    })

    const signer = (keys: string, options: { clockOffsetMs?: number; ttl?: Duration } = {}) =>
      createJwtAuth({
        algorithm: 'HS256',
        keys,
        issuer: base,
        audience: 'covet-demo',
        accessTokenTtl: options.ttl ?? '15m',
        clock: () => Date.now() + (options.clockOffsetMs ?? 0),
      })

    it('never prints the secret', () => {
      expect(demo.output()).toContain('key from COVET_SECRET')
      expect(demo.output()).not.toContain(secret)
    })

    it('says an expired token expired, so the client knows to refresh', async () => {
      const expired = await (await signer(secret, { clockOffsetMs: -3_600_000 })).createToken('alice')
      const response = await bearer(`${base}/me`, expired)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer realm="${REALM}", error="invalid_token", error_description="The access token expired"`,
      )
      expect(await response.json()).toMatchObject({
        detail: 'The access token expired',
        code: 'ERR_TOKEN_EXPIRED',
      })
    })

    it('never mentions expiry for a forged token, even an expired one', async () => {
      const forged = await (
        await signer('another-secret-that-is-32-bytes-long!!', { clockOffsetMs: -3_600_000 })
      ).createToken('alice')
      const response = await bearer(`${base}/me`, forged)
      expect(response.status).toBe(401)
      const header = response.headers.get('www-authenticate')!
      const body = await response.text()
      expect(header).toBe(
        `Bearer realm="${REALM}", error="invalid_token", error_description="The access token is invalid"`,
      )
      expect(`${header}${body}`).not.toMatch(/expir/i)
    })

    it('refuses an access token whose lifetime exceeds 15 minutes', async () => {
      const long = await (await signer(secret, { ttl: '1h' })).createToken('alice', { ttl: '1h' })
      const response = await bearer(`${base}/me`, long)
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ code: 'ERR_TOKEN_INVALID' })
    })
  })
}
