import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createJwtAuth } from './create-jwt-auth.js'
import { loadKeysFromEnv } from './env.js'
import { ConfigError } from './errors.js'
import * as mainEntry from './index.js'

const SECRET = 'ünïcødé-secret-that-is-long-enough-for-hs256!'

let dir: string
let pkcs8Pem: string
let spkiPem: string
let privateJwk: JsonWebKey
let publicJwk: JsonWebKey

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString('base64')
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`
}

async function fileWith(name: string, contents: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, contents, 'utf8')
  return path
}

async function caught(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

/** Signs with a key loaded from the environment and verifies the result: the loaded value really is a key. */
async function roundTrip(keys: unknown, algorithm: 'HS256' | 'ES256'): Promise<string> {
  const auth = await createJwtAuth({ algorithm, keys: keys as string })
  const token = await auth.createToken('user-1')
  return (await auth.verifyToken(token)).subject
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covet-env-test-'))
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])
  pkcs8Pem = pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey))
  spkiPem = pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey))
  privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey)
  publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('loadKeysFromEnv', () => {
  it('resolves undefined when no key variable is set', async () => {
    await expect(loadKeysFromEnv({ env: { PATH: '/usr/bin' } })).resolves.toBeUndefined()
  })

  it('returns COVET_SECRET as a string whose UTF-8 bytes are the HMAC key', async () => {
    const keys = await loadKeysFromEnv({ env: { COVET_SECRET: SECRET } })
    expect(keys).toBe(SECRET)
    const fromEnv = await createJwtAuth({ algorithm: 'HS256', keys: keys! })
    const fromBytes = await createJwtAuth({ algorithm: 'HS256', keys: new TextEncoder().encode(SECRET) })
    const token = await fromBytes.createToken('user-1')
    await expect(fromEnv.verifyToken(token)).resolves.toMatchObject({ subject: 'user-1' })
  })

  it('reads process.env when no env is given', async () => {
    vi.stubEnv('COVET_SECRET', SECRET)
    await expect(loadKeysFromEnv()).resolves.toBe(SECRET)
  })

  it('returns a PEM from COVET_PRIVATE_KEY unchanged apart from surrounding whitespace', async () => {
    const keys = await loadKeysFromEnv({ env: { COVET_PRIVATE_KEY: `\n${pkcs8Pem}\n` } })
    expect(keys).toBe(pkcs8Pem.trim())
    await expect(roundTrip(keys, 'ES256')).resolves.toBe('user-1')
  })

  it('restores the newlines of a PEM stored on one line with literal \\n sequences', async () => {
    const oneLine = pkcs8Pem.trim().replaceAll('\n', '\\n')
    const keys = await loadKeysFromEnv({ env: { COVET_PRIVATE_KEY: oneLine } })
    expect(keys).toBe(pkcs8Pem.trim())
  })

  it('parses a private JWK given as JSON in COVET_PRIVATE_KEY', async () => {
    const keys = await loadKeysFromEnv({ env: { COVET_PRIVATE_KEY: JSON.stringify(privateJwk) } })
    expect(keys).toEqual(privateJwk)
    await expect(roundTrip(keys, 'ES256')).resolves.toBe('user-1')
  })

  it('reads a PKCS#8 PEM file named by COVET_PRIVATE_KEY_FILE', async () => {
    const path = await fileWith('key.pem', pkcs8Pem)
    const keys = await loadKeysFromEnv({ env: { COVET_PRIVATE_KEY_FILE: path } })
    expect(keys).toBe(pkcs8Pem.trim())
    await expect(roundTrip(keys, 'ES256')).resolves.toBe('user-1')
  })

  it('reads a private JWK file named by COVET_PRIVATE_KEY_FILE', async () => {
    const path = await fileWith('key.json', `${JSON.stringify(privateJwk, null, 2)}\n`)
    const keys = await loadKeysFromEnv({ env: { COVET_PRIVATE_KEY_FILE: path } })
    expect(keys).toEqual(privateJwk)
    await expect(roundTrip(keys, 'ES256')).resolves.toBe('user-1')
  })

  it('refuses two sources at once, naming both variables and echoing neither value', async () => {
    const error = await caught(
      loadKeysFromEnv({ env: { COVET_SECRET: SECRET, COVET_PRIVATE_KEY: pkcs8Pem } }),
    )
    expect(error.code).toBe('ERR_CONFIG')
    expect(error.field).toBe('COVET_SECRET, COVET_PRIVATE_KEY')
    expect(error.message).toBe(
      'COVET_SECRET, COVET_PRIVATE_KEY: set only one of COVET_SECRET, COVET_PRIVATE_KEY, COVET_PRIVATE_KEY_FILE',
    )
  })

  it('refuses all three sources at once, naming all three', async () => {
    const error = await caught(
      loadKeysFromEnv({
        env: { COVET_SECRET: SECRET, COVET_PRIVATE_KEY: pkcs8Pem, COVET_PRIVATE_KEY_FILE: '/nowhere' },
      }),
    )
    expect(error.field).toBe('COVET_SECRET, COVET_PRIVATE_KEY, COVET_PRIVATE_KEY_FILE')
  })

  it('refuses a variable that is set but empty instead of silently generating a key', async () => {
    const error = await caught(loadKeysFromEnv({ env: { COVET_SECRET: '  ' } }))
    expect(error.message).toBe('COVET_SECRET: is set but empty')
  })

  it('reports a missing key file by its error code', async () => {
    const error = await caught(
      loadKeysFromEnv({ env: { COVET_PRIVATE_KEY_FILE: join(dir, 'does-not-exist.pem') } }),
    )
    expect(error.message).toBe('COVET_PRIVATE_KEY_FILE: the file could not be read (ENOENT)')
  })

  it('never prints the contents of a key file that is not valid JSON', async () => {
    const contents = `{ "kty": "EC", "d": "${privateJwk.d}", oops }`
    const path = await fileWith('broken.json', contents)
    const error = await caught(loadKeysFromEnv({ env: { COVET_PRIVATE_KEY_FILE: path } }))
    expect(error.message).toBe('COVET_PRIVATE_KEY_FILE: is not valid JSON')
    expect(error.cause).toBeUndefined()
    expect(String(error.stack)).not.toContain(privateJwk.d)
  })

  it('refuses a public PEM where a private key is needed', async () => {
    const error = await caught(loadKeysFromEnv({ env: { COVET_PRIVATE_KEY: spkiPem } }))
    expect(error.message).toBe(
      'COVET_PRIVATE_KEY: holds a PEM that is not a private key: a PKCS#8 private key is needed to sign',
    )
  })

  it('refuses a public JWK where a private key is needed', async () => {
    const path = await fileWith('public.json', JSON.stringify(publicJwk))
    const error = await caught(loadKeysFromEnv({ env: { COVET_PRIVATE_KEY_FILE: path } }))
    expect(error.message).toBe(
      'COVET_PRIVATE_KEY_FILE: holds a JWK without its private member: a private key is needed to sign',
    )
  })

  it('refuses JSON that is not a JWK object', async () => {
    const error = await caught(loadKeysFromEnv({ env: { COVET_PRIVATE_KEY: '{"d":"x"}' } }))
    expect(error.message).toBe('COVET_PRIVATE_KEY: must be a JWK with a "kty" member')
  })

  it('refuses text that is neither PEM nor JSON without echoing it', async () => {
    const error = await caught(loadKeysFromEnv({ env: { COVET_PRIVATE_KEY: SECRET } }))
    expect(error.message).toBe(
      'COVET_PRIVATE_KEY: must hold a PKCS#8 PEM private key or a private JWK as JSON',
    )
  })

  it('is not exported from the main entry, which stays free of runtime-specific imports', () => {
    expect('loadKeysFromEnv' in mainEntry).toBe(false)
  })
})
