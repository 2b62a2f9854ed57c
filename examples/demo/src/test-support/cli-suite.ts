import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from './http.js'
import { COVET, covet, demoEnv, freePort, type Spawned, start, waitUntilReady } from './process.js'

/** `covet demo` and the key and token commands against a running demo. Called from demo.test.ts. */
export function cliSuite(): void {
  describe('the covet command with the demo', () => {
    let dir: string
    let demo: Spawned | undefined

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'covet-demo-cli-'))
    })
    afterAll(async () => {
      await demo?.kill()
      await rm(dir, { recursive: true, force: true })
    })

    it("starts the demo on a key from covet keys generate, and verifies the demo's tokens against its JWK Set", async () => {
      const key = join(dir, 'es256.jwk.json')
      const generated = await covet([
        'keys',
        'generate',
        '--alg',
        'ES256',
        '--format',
        'jwk',
        '--kid',
        'demo-key',
        '--out',
        key,
      ])
      expect(generated.code).toBe(0)
      const port = await freePort()
      const base = `http://127.0.0.1:${port}`
      demo = start(
        process.execPath,
        [COVET, 'demo', '--port', String(port)],
        demoEnv({ COVET_ALGORITHM: 'ES256', COVET_PRIVATE_KEY_FILE: key }),
      )
      await waitUntilReady(`${base}/health`, demo, 30_000)
      expect(demo.output()).toContain(`Covet demo listening on ${base}\n`)
      expect(demo.output()).toContain('key from COVET_PRIVATE_KEY_FILE')

      const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[]
      }
      expect(jwks.keys.map((k) => k.kid)).toEqual(['demo-key'])
      const { access_token } = await login(base, 'carol')
      const flags = ['--jwks', `${base}/.well-known/jwks.json`, '--issuer', base, '--type', 'access']
      const verified = await covet(['token', 'verify', access_token, ...flags, '--audience', 'covet-demo'])
      expect(verified.code).toBe(0)
      expect(JSON.parse(verified.stdout)).toMatchObject({
        sub: 'carol',
        roles: ['moderator'],
        aud: 'covet-demo',
      })
      const refused = await covet(['token', 'verify', access_token, ...flags, '--audience', 'another-api'])
      expect(refused).toEqual({ code: 1, stdout: 'ERR_TOKEN_INVALID\n' })
      // A JWK Set URL needs an audience (RFC 9068 §4), or the explicit opt-out.
      expect((await covet(['token', 'verify', access_token, ...flags])).code).toBe(2)
      expect((await covet(['token', 'verify', access_token, ...flags, '--any-audience'])).code).toBe(0)
    })

    it('covet demo exits 1 on a weak secret, naming the variable and not the secret', async () => {
      const secret = 'twenty-one-bytes-long'
      const weak = start(
        process.execPath,
        [COVET, 'demo', '--port', String(await freePort())],
        demoEnv({ COVET_ALGORITHM: 'HS256', COVET_SECRET: secret }),
      )
      try {
        expect(await weak.exited).toBe(1)
        expect(weak.output()).toContain('COVET_SECRET: an HS256 secret must be at least 32 bytes')
        expect(weak.output()).not.toContain(secret)
      } finally {
        await weak.kill()
      }
    })
  })
}
