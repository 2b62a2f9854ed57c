import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { frozenClock } from '../test-support/clock.js'
import { startTestIssuer, type TestIssuer } from '../test-support/issuer-server.js'
import { type CachedJwks, type JwksCache, MemoryJwksCache } from './jwks-cache.js'

// The key sets of other issuers: one fetch at a time, Cache-Control within bounds, a refetch for
// an unknown kid once per cooldown, a bounded stale set while refetching fails, and jwksCache.
const API = 'https://api.test'
const clock = frozenClock()
let issuer: TestIssuer
let warnings: string[]

beforeEach(async () => {
  clock.set(1_800_000_000)
  warnings = []
  issuer = await startTestIssuer({ path: '/tenant' })
})
afterEach(() => issuer.close())

const token = (extra: Record<string, unknown> = {}, from = issuer) =>
  from.sign({
    iss: issuer.issuer,
    aud: API,
    sub: 'alice',
    iat: clock.seconds,
    exp: clock.seconds + 3600,
    ...extra,
  })
const resourceServer = (extra: Record<string, unknown> = {}) =>
  createJwtAuth({
    issuers: [{ issuer: issuer.issuer, audience: API }],
    cache: false,
    clock: clock.now,
    warn: (message) => warnings.push(message),
    ...extra,
  })
const unavailable = { code: 'ERR_KEYSET_UNAVAILABLE', status: 503 }

describe('fetching a key set', () => {
  it('shares one discovery and one fetch between concurrent verifications', async () => {
    const auth = await resourceServer()
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => token({ sub: `user-${i}` })))
    const results = await Promise.all(tokens.map((t) => auth.verifyToken(t)))
    expect(results.map((r) => r.subject)).toEqual(tokens.map((_, i) => `user-${i}`))
    expect(issuer.requests).toEqual({ openid: 1, oauth: 0, jwks: 1 })
  })

  it("keeps a set as long as its Cache-Control max-age says, less the response's Age", async () => {
    issuer.cacheControl = 'public, max-age=300'
    const auth = await resourceServer()
    await auth.verifyToken(await token())
    clock.advance(299)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(1)
    clock.advance(1)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(2)
  })

  it('honours max-age only between jwks.cacheMinAge and jwks.cacheMaxAge', async () => {
    issuer.cacheControl = 'max-age=5'
    const auth = await resourceServer()
    await auth.verifyToken(await token())
    clock.advance(59)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(1)
    clock.advance(1)
    issuer.cacheControl = 'max-age=86400'
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(2)
    clock.advance(599)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(2)
    clock.advance(1)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(3)
  })

  it('keeps a set without max-age for jwks.cacheMaxAge, and one marked no-store for jwks.cacheMinAge', async () => {
    const auth = await resourceServer({ jwks: { cacheMinAge: '2m', cacheMaxAge: '20m' } })
    await auth.verifyToken(await token())
    clock.advance(1199)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(1)
    issuer.cacheControl = 'no-store'
    clock.advance(1)
    await auth.verifyToken(await token())
    clock.advance(119)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(2)
    clock.advance(1)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(3)
  })
})

describe('keys the issuer rotates', () => {
  it('picks up a key rotated in at the issuer without a restart: one refetch for its unknown kid', async () => {
    const auth = await resourceServer()
    await auth.verifyToken(await token())
    clock.advance(30)
    await issuer.rotate()
    await expect(auth.verifyToken(await token({ sub: 'after-rotation' }))).resolves.toMatchObject({
      subject: 'after-rotation',
    })
    expect(issuer.requests.jwks).toBe(2)
  })

  it('refetches for unknown kids at most once per cooldown', async () => {
    const stranger = await startTestIssuer()
    try {
      const auth = await resourceServer({ jwks: { cooldown: '30s' } })
      await auth.verifyToken(await token())
      const foreignKid = await token({}, stranger)
      for (let i = 0; i < 3; i++) {
        await expect(auth.verifyToken(foreignKid)).rejects.toMatchObject({
          code: 'ERR_TOKEN_INVALID',
          reason: 'key',
        })
      }
      expect(issuer.requests.jwks).toBe(1)
      clock.advance(30)
      await expect(auth.verifyToken(foreignKid)).rejects.toMatchObject({ reason: 'key' })
      expect(issuer.requests.jwks).toBe(2)
    } finally {
      await stranger.close()
    }
  })

  it('forgets cached results verified with a key the issuer withdrew', async () => {
    const auth = await resourceServer({ cache: true })
    const old = await token()
    await auth.verifyToken(old)
    expect(auth.stats().cacheEntries).toBe(1)
    clock.advance(30)
    await issuer.rotate()
    issuer.retireOldKeys()
    await auth.verifyToken(await token())
    expect(auth.stats().cacheEntries).toBe(0)
    await expect(auth.verifyToken(old)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID', reason: 'key' })
  })
})

describe('when the issuer cannot be reached', () => {
  it('keeps using the last set for at most jwks.maxStale, refetching once per cooldown, and warns once', async () => {
    issuer.cacheControl = 'max-age=60'
    const auth = await resourceServer()
    await auth.verifyToken(await token())
    issuer.mode = 'error'
    clock.advance(60)
    await expect(auth.verifyToken(await token())).resolves.toMatchObject({ subject: 'alice' })
    expect(issuer.requests.jwks).toBe(2)
    clock.advance(29)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(2)
    clock.advance(1)
    await auth.verifyToken(await token())
    expect(issuer.requests.jwks).toBe(3)
    expect(warnings).toEqual([
      `the key set of ${issuer.issuer} could not be fetched: ${issuer.issuer}/jwks.json answered HTTP 500`,
    ])
    clock.advance(3600 - 30)
    await expect(auth.verifyToken(await token())).rejects.toMatchObject(unavailable)
    issuer.mode = 'serve'
    await expect(auth.verifyToken(await token())).resolves.toMatchObject({ subject: 'alice' })
  })

  it('answers 503 without a set, and fetches again on the next request', async () => {
    issuer.mode = 'error'
    const auth = await resourceServer()
    await expect(auth.verifyToken(await token())).rejects.toMatchObject(unavailable)
    issuer.mode = 'serve'
    await expect(auth.verifyToken(await token())).resolves.toMatchObject({ subject: 'alice' })
  })

  it('answers 503 when the fetch times out, or the set is not JSON', async () => {
    for (const mode of ['hang', 'garbage'] as const) {
      issuer.mode = mode
      const auth = await resourceServer({ jwks: { timeout: '200ms' } })
      await expect(auth.verifyToken(await token())).rejects.toMatchObject(unavailable)
    }
  })
})

describe('jwksCache', () => {
  it('spares a cold start its discovery and fetch, and is told of every fetch', async () => {
    const jwksCache = new MemoryJwksCache()
    const first = await resourceServer({ jwksCache })
    await first.verifyToken(await token())
    expect(jwksCache.load(issuer.issuer)).toEqual({
      jwksUri: issuer.jwksUri,
      jwks: issuer.publicJwks(),
      fetchedAt: clock.now(),
      freshUntil: clock.now() + 600_000,
    })
    const coldStart = await resourceServer({ jwksCache })
    await expect(coldStart.verifyToken(await token())).resolves.toMatchObject({ subject: 'alice' })
    expect(issuer.requests).toEqual({ openid: 1, oauth: 0, jwks: 1 })
  })

  it('refetches a stale entry, and uses it while the refetch fails', async () => {
    const saved: CachedJwks = {
      jwksUri: issuer.jwksUri,
      jwks: issuer.publicJwks(),
      fetchedAt: clock.now() - 700_000,
      freshUntil: clock.now() - 100_000,
    }
    const jwksCache: JwksCache = { load: async () => saved, save: () => {} }
    issuer.mode = 'error'
    const auth = await resourceServer({ jwksCache })
    await expect(auth.verifyToken(await token())).resolves.toMatchObject({ subject: 'alice' })
    expect(issuer.requests).toEqual({ openid: 0, oauth: 0, jwks: 1 })
  })

  it('ignores an entry saved for another jwksUri, or not shaped as one', async () => {
    for (const entry of [
      {
        jwksUri: 'https://elsewhere.test/jwks.json',
        jwks: issuer.publicJwks(),
        fetchedAt: 0,
        freshUntil: clock.now() + 1e6,
      },
      { jwks: 'not a set' },
    ]) {
      const jwksCache: JwksCache = { load: () => entry as CachedJwks, save: () => {} }
      const auth = await resourceServer({
        issuers: [{ issuer: issuer.issuer, audience: API, jwksUri: issuer.jwksUri }],
        jwksCache,
      })
      await auth.verifyToken(await token())
    }
    expect(issuer.requests).toEqual({ openid: 0, oauth: 0, jwks: 2 })
  })

  it('carries on with a warning when the cache fails', async () => {
    const jwksCache: JwksCache = {
      load: () => Promise.reject(new Error('cache down')),
      save: () => {
        throw new Error('cache full')
      },
    }
    const auth = await resourceServer({ jwksCache })
    await expect(auth.verifyToken(await token())).resolves.toMatchObject({ subject: 'alice' })
    expect(warnings).toEqual([
      `jwksCache.load failed for ${issuer.issuer}: cache down`,
      `jwksCache.save failed for ${issuer.issuer}: cache full`,
    ])
  })
})
