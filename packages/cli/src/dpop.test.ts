import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDpopVerifier, createJwtAuth, MemoryRevocationStore } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { covet } from './test-support/covet.js'

let dir: string
const file = (name: string) => join(dir, name)
const ME = 'https://api.example.test/me'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covet-cli-dpop-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The thumbprint `covet dpop proof` names on standard error. */
const thumbprintOf = (stderr: string) => /thumbprint ([A-Za-z0-9_-]{43})/.exec(stderr)?.[1]

describe('covet dpop proof', () => {
  for (const [alg, format] of [
    ['ES256', 'jwk'],
    ['EdDSA', 'pem'],
  ] as const) {
    it(`prints a proof, made with an ${alg} ${format} key from keys generate, that a Covet resource accepts`, async () => {
      const key = file(`dpop-${alg}.${format}`)
      expect((await covet(['keys', 'generate', '--alg', alg, '--format', format, '--out', key])).code).toBe(0)
      const run = await covet([
        'dpop',
        'proof',
        '--key',
        key,
        '--url',
        `${ME}?page=2`,
        '--token',
        'the-access-token',
      ])
      expect(run.code).toBe(0)
      const proof = run.stdout.trim()
      expect(proof.split('.')).toHaveLength(3)
      const jkt = thumbprintOf(run.stderr)
      expect(run.stderr).toContain(`DPoP proof for GET ${ME}?page=2, by the key with thumbprint ${jkt}`)

      const dpop = createDpopVerifier({ store: new MemoryRevocationStore() })
      const request = new Request(ME, { headers: { dpop: proof } })
      await expect(dpop.verify(request, { accessToken: 'the-access-token', jkt })).resolves.toMatchObject({
        jkt,
      })
    })
  }

  it('signs for the method, nonce and no token when told, as the token endpoint wants', async () => {
    const key = file('dpop-post.jwk')
    await covet(['keys', 'generate', '--alg', 'ES256', '--format', 'jwk', '--out', key])
    const url = 'https://auth.example.test/oauth/token'
    const run = await covet([
      'dpop',
      'proof',
      '--key',
      key,
      '--url',
      url,
      '--method',
      'POST',
      '--nonce',
      'n-1',
    ])
    const dpop = createDpopVerifier({
      store: new MemoryRevocationStore(),
      nonce: { secret: 'a nonce secret that is 32 bytes long!!' },
    })
    // The proof carries the nonce it was given, which this verifier does not hand out.
    await expect(
      dpop.verify(new Request(url, { method: 'POST', headers: { dpop: run.stdout.trim() } })),
    ).rejects.toMatchObject({ code: 'ERR_DPOP_NONCE' })
    const plain = createDpopVerifier({ store: new MemoryRevocationStore() })
    await expect(
      plain.verify(new Request(url, { method: 'POST', headers: { dpop: run.stdout.trim() } })),
    ).resolves.toMatchObject({ jkt: thumbprintOf(run.stderr) })
  })

  it('refuses an HMAC secret, a public key alone, and missing options', async () => {
    const secret = file('secret.jwk')
    await covet(['keys', 'generate', '--alg', 'HS256', '--format', 'jwk', '--out', secret])
    const hmac = await covet(['dpop', 'proof', '--key', secret, '--url', ME])
    expect(hmac.code).toBe(2)
    expect(hmac.stderr).toContain('a DPoP key is asymmetric')

    const pem = file('dpop-public-source.pem')
    await covet(['keys', 'generate', '--alg', 'ES256', '--out', pem])
    const jwks = JSON.parse((await covet(['keys', 'public', pem])).stdout) as { keys: object[] }
    const publicOnly = file('dpop-public.jwk')
    await writeFile(publicOnly, JSON.stringify(jwks.keys[0]))
    const run = await covet(['dpop', 'proof', '--key', publicOnly, '--url', ME])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('does not hold a private key')
    expect(run.stdout).toBe('')

    expect((await covet(['dpop', 'proof', '--url', ME])).code).toBe(2)
    expect((await covet(['dpop', 'proof', '--key', pem])).code).toBe(2)
    expect((await covet(['dpop', 'proof', '--key', pem, '--url', 'ftp://x/'])).code).toBe(2)
  })
})

describe('covet token verify and DPoP', () => {
  it('says which key a bound token is bound to, and that an unbound one is a bearer token', async () => {
    const secret = 'a-cli-test-secret-of-at-least-32-bytes!!'
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: secret })
    const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
    const bound = await covet([
      'token',
      'verify',
      await auth.createToken('alice', { dpopJkt: jkt }),
      '--secret',
      secret,
    ])
    expect(bound.code).toBe(0)
    expect(JSON.parse(bound.stdout).cnf).toEqual({ jkt })
    expect(bound.stderr).toContain(
      `bound to the DPoP key with thumbprint ${jkt} (cnf.jkt): accepted only with a proof of that key`,
    )
    const bearer = await covet(['token', 'verify', await auth.createToken('alice'), '--secret', secret])
    expect(bearer.stderr).toContain('not bound to a key: a bearer token')
  })
})
