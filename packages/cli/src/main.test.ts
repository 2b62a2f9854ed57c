import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { covet } from './test-support/covet.js'

let dir: string
const file = (name: string) => join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covet-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('generate → sign → verify', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    it(`round-trips an ${alg} PEM key through keys public and a JWK Set file`, async () => {
      const generated = await covet(['keys', 'generate', '--alg', alg, '--out', file(`${alg}.pem`)])
      expect(generated).toMatchObject({ code: 0, stdout: '' })
      const pub = await covet(['keys', 'public', file(`${alg}.pem`)])
      expect(pub.code).toBe(0)
      const jwks = JSON.parse(pub.stdout) as { keys: Record<string, unknown>[] }
      expect(jwks.keys).toHaveLength(1)
      expect(jwks.keys[0]).toMatchObject({ alg, use: 'sig' })
      expect(jwks.keys[0]).not.toHaveProperty('d')
      await writeFile(file(`${alg}.jwks.json`), pub.stdout)

      const signed = await covet([
        'token',
        'sign',
        '--sub',
        'alice',
        '--roles',
        'admin,user',
        '--scope',
        'posts:read',
        '--ttl',
        '15m',
        '--issuer',
        'https://issuer.test',
        '--audience',
        'covet-demo',
        '--claim',
        'tier=3',
        '--key',
        file(`${alg}.pem`),
      ])
      expect(signed.code).toBe(0)
      const token = signed.stdout.trim()
      const verified = await covet([
        'token',
        'verify',
        token,
        '--jwks',
        file(`${alg}.jwks.json`),
        '--issuer',
        'https://issuer.test',
        '--audience',
        'covet-demo',
        '--type',
        'access',
      ])
      expect(verified.code).toBe(0)
      const claims = JSON.parse(verified.stdout)
      expect(claims).toMatchObject({
        sub: 'alice',
        roles: ['admin', 'user'],
        scope: 'posts:read',
        tier: 3,
        iss: 'https://issuer.test',
        aud: 'covet-demo',
      })
      expect(claims.exp - claims.iat).toBe(900)
    })
  }

  it('round-trips an HS256 secret given through COVET_SECRET, as the demo reads it', async () => {
    const secret = (await covet(['keys', 'generate', '--alg', 'HS256'])).stdout.trim()
    expect(new TextEncoder().encode(secret).byteLength).toBeGreaterThanOrEqual(32)
    const env = { COVET_SECRET: secret }
    const token = (
      await covet(['token', 'sign', '--sub', 'bob', '--type', 'refresh', '--ttl', '30d'], { env })
    ).stdout.trim()
    const verified = await covet(['token', 'verify', '-', '--type', 'refresh'], { env, stdin: `${token}\n` })
    expect(verified.code).toBe(0)
    expect(JSON.parse(verified.stdout)).toMatchObject({ sub: 'bob' })
    expect(JSON.parse(verified.stdout).fid).toEqual(expect.any(String))
  })

  it('writes a JWK with the given kid, and tokens signed with it carry that kid', async () => {
    const jwk = await covet(['keys', 'generate', '--alg', 'ES256', '--format', 'jwk', '--kid', 'k-2026'])
    expect(JSON.parse(jwk.stdout)).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: 'k-2026' })
    await writeFile(file('es.jwk.json'), jwk.stdout)
    const token = (
      await covet(['token', 'sign', '--sub', 'carol', '--key', file('es.jwk.json')])
    ).stdout.trim()
    const decoded = await covet(['token', 'decode', token])
    expect(JSON.parse(decoded.stdout).header).toEqual({ alg: 'ES256', kid: 'k-2026', typ: 'at+jwt' })
  })
})

describe('refused tokens', () => {
  let token: string
  beforeAll(async () => {
    await covet(['keys', 'generate', '--alg', 'ES256', '--out', file('refuse.pem')])
    token = (await covet(['token', 'sign', '--sub', 'alice', '--key', file('refuse.pem')])).stdout.trim()
  })

  it('a tampered token exits 1 and prints ERR_TOKEN_INVALID, never the token', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')
    const tampered = `${header}.${forged}.${signature}`
    const result = await covet(['token', 'verify', tampered, '--key', file('refuse.pem')])
    expect(result).toEqual({
      code: 1,
      stdout: 'ERR_TOKEN_INVALID\n',
      stderr: 'covet: ERR_TOKEN_INVALID: The token is invalid (signature)\n',
    })
  })

  it('an expired token exits 1 with ERR_TOKEN_EXPIRED', async () => {
    const pem = await readFile(file('refuse.pem'), 'utf8')
    const past = await createJwtAuth({ algorithm: 'ES256', keys: pem, clock: () => Date.now() - 3_600_000 })
    const expired = await past.createToken('alice')
    const result = await covet(['token', 'verify', expired, '--key', file('refuse.pem')])
    expect(result).toMatchObject({ code: 1, stdout: 'ERR_TOKEN_EXPIRED\n' })
  })

  it('a token from another issuer exits 1 with ERR_TOKEN_INVALID (issuer)', async () => {
    const result = await covet([
      'token',
      'verify',
      token,
      '--key',
      file('refuse.pem'),
      '--issuer',
      'https://other',
    ])
    expect(result).toEqual({
      code: 1,
      stdout: 'ERR_TOKEN_INVALID\n',
      stderr: 'covet: ERR_TOKEN_INVALID: The token is invalid (issuer)\n',
    })
  })

  it('an ES256 token is refused by an HS256 secret (no algorithm confusion)', async () => {
    const secret = 'x'.repeat(32)
    const result = await covet(['token', 'verify', token, '--secret', secret])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('ERR_TOKEN_INVALID\n')
  })

  it('a weak secret exits 1 naming the rule and never printing the secret', async () => {
    const secret = 'short-secret-value'
    const result = await covet(['token', 'sign', '--sub', 'a', '--secret', secret])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'covet: ERR_CONFIG: keys: an HS256 secret must be at least 32 bytes (RFC 7518 §3.2)\n',
    )
    expect(result.stderr + result.stdout).not.toContain(secret)
  })

  it('keys public refuses an HMAC secret with exit 1', async () => {
    await writeFile(
      file('secret.jwk.json'),
      (await covet(['keys', 'generate', '--alg', 'HS256', '--format', 'jwk'])).stdout,
    )
    const result = await covet(['keys', 'public', file('secret.jwk.json')])
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'covet: ERR_CONFIG: an HMAC secret has no public key; never publish it\n',
    })
  })
})

describe('decode', () => {
  it('prints header and claims marked unverified, with a warning on standard error', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'k'.repeat(32), warn: () => {} })
    const token = await auth.createToken('dave', { roles: ['user'] })
    const result = await covet(['token', 'decode', token])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      'UNVERIFIED: the signature and claims were NOT checked; do not trust this output\n',
    )
    expect(JSON.parse(result.stdout)).toMatchObject({
      verified: false,
      header: { alg: 'HS256', typ: 'at+jwt' },
      payload: { sub: 'dave', roles: ['user'] },
    })
  })

  it('exits 1 on something that is not a JWT', async () => {
    expect(await covet(['token', 'decode', 'not-a-token'])).toMatchObject({ code: 1, stdout: '' })
  })
})

describe('usage', () => {
  const usageErrors: [string, string[]][] = [
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['an unknown subcommand', ['keys', 'rotate']],
    ['an unknown option', ['keys', 'generate', '--alg', 'ES256', '--colour']],
    ['a missing --alg', ['keys', 'generate']],
    ['an unsupported --alg', ['keys', 'generate', '--alg', 'none']],
    ['--kid with a PEM', ['keys', 'generate', '--alg', 'ES256', '--kid', 'k']],
    ['a missing --sub', ['token', 'sign', '--secret', 'x'.repeat(32)]],
    ['a bad --ttl', ['token', 'sign', '--sub', 'a', '--ttl', 'soon', '--secret', 'x'.repeat(32)]],
    ['verify without a key', ['token', 'verify', 'a.b.c']],
    ['verify without a token', ['token', 'verify', '--secret', 'x'.repeat(32)]],
    ['both --key and --secret', ['token', 'verify', 'a.b.c', '--key', 'f', '--secret', 's']],
    ['a JWK Set URL without --audience', ['token', 'verify', 'a.b.c', '--jwks', 'https://issuer.test/jwks']],
    ['an extra argument', ['token', 'decode', 'a.b.c', 'extra']],
  ]
  for (const [what, args] of usageErrors) {
    it(`${what} exits 2 with a pointer to --help`, async () => {
      const result = await covet(args)
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(/--help/)
    })
  }

  const commands = [
    ['keys', 'generate'],
    ['keys', 'public'],
    ['token', 'sign'],
    ['token', 'verify'],
    ['token', 'decode'],
    ['demo'],
    ['keys'],
    ['token'],
    [],
  ]
  for (const command of commands) {
    it(`covet ${[...command, '--help'].join(' ')} exits 0 and prints its usage`, async () => {
      const result = await covet([...command, '--help'])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(`Usage: covet ${command.length ? command.join(' ') : '<command>'}`)
    })
  }

  it('--version prints the version of the installed package, whatever a release bumped it to', async () => {
    const manifest = JSON.parse(
      await readFile(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
    ) as { version: string }
    for (const flag of ['--version', '-v']) {
      expect(await covet([flag])).toEqual({ code: 0, stdout: `covet ${manifest.version}\n`, stderr: '' })
    }
  })

  it('the top-level help documents the three exit codes', async () => {
    const { stdout } = await covet(['--help'])
    expect(stdout).toContain('0  success')
    expect(stdout).toContain('1  verification failed')
    expect(stdout).toContain('2  usage error')
  })

  it('--out writes a key readable by its owner only and never overwrites a file', async () => {
    const out = file('owner-only.pem')
    expect((await covet(['keys', 'generate', '--alg', 'EdDSA', '--out', out])).code).toBe(0)
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    const again = await covet(['keys', 'generate', '--alg', 'EdDSA', '--out', out])
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `covet: ${out} already exists, and a key file is never overwritten: remove it or choose another --out\n`,
    })
  })
})

describe('the installed bin', () => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
  const exec = promisify(execFile)
  const run = async (args: string[]) => {
    try {
      const { stdout } = await exec(process.execPath, [bin, ...args], { env: {} })
      return { code: 0, stdout }
    } catch (error) {
      const failed = error as { code: number; stdout: string }
      return { code: failed.code, stdout: failed.stdout }
    }
  }

  it('exits 0, 1 and 2 as documented', async () => {
    const secret = 's'.repeat(32)
    const token = (await run(['token', 'sign', '--sub', 'alice', '--secret', secret])).stdout.trim()
    expect(await run(['token', 'verify', token, '--secret', secret])).toMatchObject({ code: 0 })
    const dot = token.lastIndexOf('.') + 1
    const tampered = `${token.slice(0, dot)}${token[dot] === 'A' ? 'B' : 'A'}${token.slice(dot + 1)}`
    expect(await run(['token', 'verify', tampered, '--secret', secret])).toEqual({
      code: 1,
      stdout: 'ERR_TOKEN_INVALID\n',
    })
    expect(await run(['token', 'verify', token])).toMatchObject({ code: 2 })
  })
})
