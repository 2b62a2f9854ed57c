import { describe, expect, it } from 'vitest'
import { createJwtAuth } from './create-jwt-auth.js'
import { MemoryRevocationStore } from './revocation/memory-store.js'
import { SECRET } from './test-support/keys.js'

const base = { algorithm: 'HS256', keys: SECRET } as const

/** createJwtAuth with `override` on top of a valid HS256 config; `as never` lets tests pass wrong types. */
const build = (override: Record<string, unknown>) => createJwtAuth({ ...base, ...override } as never)

describe('each invalid option is refused with ERR_CONFIG naming its field', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['algorithm', { algorithm: 'HS257' }],
    ['algorithm', { algorithm: 'none' }],
    ['keys', { keys: null }],
    ['jwksUri', { keys: undefined, algorithm: 'RS256', jwksUri: 'ftp://keys.test/jwks.json' }],
    ['jwksUri', { keys: undefined, algorithm: 'RS256', jwksUri: 'not a url' }],
    ['algorithms', { algorithms: [] }],
    ['algorithms[0]', { algorithms: ['none'] }],
    ['jwks.timeout', { jwks: { timeout: 0 } }],
    ['jwks.timeoutMs', { jwks: { timeoutMs: 5000 } }],
    ['jwks.cooldown', { jwks: { cooldown: '5 minutes' } }],
    ['jwks.cacheMaxAge', { jwks: { cacheMaxAge: -1 } }],
    ['issuer', { issuer: '' }],
    ['issuer', { issuer: 42 }],
    ['audience', { audience: '' }],
    ['audience', { audience: [] }],
    ['audience', { audience: true }],
    ['accessTokenTtl', { accessTokenTtl: '15x' }],
    ['accessTokenTtl', { accessTokenTtl: 1.5 }],
    ['accessTokenTtl', { accessTokenTtl: '1500ms' }],
    ['refreshTokenTtl', { refreshTokenTtl: -1 }],
    ['clockTolerance', { clockTolerance: '61s' }],
    ['maxTokenLifetime', { maxTokenLifetime: 'forever' }],
    ['revocation', { revocation: { isRevoked: () => false } }],
    ['failOpen', { failOpen: 'yes' }],
    ['claims', { claims: { parse: () => ({}) } }],
    ['cache.maxEntries', { cache: { maxEntries: 0 } }],
    ['cache', { cache: 'lru' }],
    ['maxTokenLength', { maxTokenLength: 63 }],
    ['maxTokenLength', { maxTokenLength: 1_048_577 }],
    ['refreshGraceWindow', { refreshGraceWindow: '301' }],
    ['refreshRateLimit', { refreshRateLimit: true }],
    ['refreshRateLimit.limit', { refreshRateLimit: { limit: 0, window: '1m' } }],
    ['refreshRateLimit.limit', { refreshRateLimit: { limit: 1.5, window: '1m' } }],
    ['refreshRateLimit.window', { refreshRateLimit: { limit: 10, window: 0 } }],
    ['refreshRateLimit.window', { refreshRateLimit: { limit: 10, window: '2d' } }],
    ['refreshRateLimit', { refreshRateLimit: { limit: 10 } }],
    ['onEvent', { onEvent: 'log' }],
    ['warn', { warn: true }],
    ['clock', { clock: 1_800_000_000_000 }],
  ]
  for (const [field, override] of cases) {
    it(`refuses ${JSON.stringify(override)} as ${field}`, async () => {
      await expect(build(override)).rejects.toMatchObject({ code: 'ERR_CONFIG', field, status: 500 })
    })
  }

  it('refuses a config that is not an object', async () => {
    await expect(createJwtAuth(null as never)).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'options' })
  })

  it('prefixes the message with the field', async () => {
    const error = await build({ issuer: '' }).catch((e: unknown) => e)
    expect((error as Error).message).toBe('issuer: must not be empty')
  })
})

describe('durations', () => {
  const forms: [unknown, number][] = [
    [900, 900],
    ['900', 900],
    ['90s', 90],
    ['15m', 900],
    ['12h', 43_200],
    ['1d', 86_400],
    [' 15m ', 900],
  ]
  for (const [input, seconds] of forms) {
    it(`reads ${JSON.stringify(input)} as ${seconds} seconds`, async () => {
      const auth = await build({ accessTokenTtl: input, maxTokenLifetime: '1d' })
      expect(auth.accessTokenTtl).toBe(seconds)
    })
  }

  it('defaults to 15 minutes and 30 days', async () => {
    const auth = await build({})
    expect(auth.accessTokenTtl).toBe(900)
    expect(auth.refreshTokenTtl).toBe(2_592_000)
  })

  it('accepts a clock tolerance of exactly 60 s and refuses 61 s in every spelling', async () => {
    await expect(build({ clockTolerance: '60s' })).resolves.toBeDefined()
    await expect(build({ clockTolerance: '1m' })).resolves.toBeDefined()
    for (const tolerance of [61, '61', '61s', '2m']) {
      await expect(build({ clockTolerance: tolerance })).rejects.toMatchObject({
        code: 'ERR_CONFIG',
        field: 'clockTolerance',
      })
    }
  })
})

describe('combinations', () => {
  it('refuses jwksUri together with keys', async () => {
    await expect(
      build({ algorithm: 'RS256', keys: SECRET, jwksUri: 'https://issuer.test/jwks.json' }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'jwksUri' })
  })

  it('refuses an HMAC algorithm with jwksUri', async () => {
    await expect(
      createJwtAuth({ algorithm: 'HS256', jwksUri: 'https://issuer.test/jwks.json' }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'algorithms' })
    await expect(
      createJwtAuth({
        algorithm: 'RS256',
        algorithms: ['RS256', 'HS256'],
        jwksUri: 'https://issuer.test/jwks.json',
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'algorithms' })
  })

  it('refuses updateKeys on a jwksUri instance', async () => {
    const auth = await createJwtAuth({
      algorithm: 'RS256',
      jwksUri: 'https://issuer.test/jwks.json',
      audience: 'api',
    })
    await expect(auth.updateKeys(SECRET)).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'keys' })
  })

  it('refuses jwksUri without an audience (RFC 9068 §4), and takes audience: false as the opt-out', async () => {
    const remote = { algorithm: 'RS256', jwksUri: 'https://issuer.test/jwks.json' } as const
    await expect(createJwtAuth(remote)).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'audience' })
    await expect(createJwtAuth({ ...remote, audience: false })).resolves.toMatchObject({
      audience: undefined,
    })
  })

  it('takes audience: false with local keys as no audience: tokens get no aud', async () => {
    const auth = await build({ audience: false })
    expect(auth.audience).toBeUndefined()
    const verified = await auth.verifyToken(await auth.createToken('alice'))
    expect(verified.claims).not.toHaveProperty('aud')
  })

  it('uses the revocation store it is given', async () => {
    const revocation = new MemoryRevocationStore()
    const auth = await build({ revocation })
    expect(auth.revocation).toBe(revocation)
  })

  it('exposes issuer, audience and failOpen as configured', async () => {
    const auth = await build({ issuer: 'https://issuer.test', audience: ['a', 'b'], failOpen: true })
    expect(auth).toMatchObject({ issuer: 'https://issuer.test', audience: ['a', 'b'], failOpen: true })
  })
})
