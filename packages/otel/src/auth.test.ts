import { createJwtAuth, type JwtAuth } from '@covet/core'
import { createRedisStore } from '@covet/redis'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { instrument } from './index.js'
import { ATTRIBUTES as A, METRICS as M, SPANS } from './names.js'
import { createSdk, type Sdk, sorted } from './test-support/sdk.js'

const SECRET = 'otel-test-secret-0123456789abcdef-0123456789'
const START = 1_800_000_000

let sdk: Sdk
let stop: () => void
let now: number

beforeEach(() => {
  sdk = createSdk()
  now = START
})
afterEach(async () => {
  stop?.()
  await sdk.shutdown()
})

async function instrumented(options: { keys?: string[]; cache?: boolean } = {}): Promise<JwtAuth<object>> {
  const auth = await createJwtAuth({
    algorithm: 'HS256',
    keys: (options.keys ?? [SECRET]).map((key, index) => ({ key, kid: `k${index}` })),
    issuer: 'https://otel.covet.test',
    clock: () => now * 1000,
    cache: options.cache ?? true,
  })
  stop = instrument(auth, { meterProvider: sdk.meterProvider, tracerProvider: sdk.tracerProvider })
  return auth
}

describe('a Covet instance: counters', () => {
  it('counts tokens issued by token type, grant and client, one per token signed', async () => {
    const auth = await instrumented()
    await auth.createTokenPair('alice', { clientId: 'web', grantType: 'password' })
    await auth.createToken('batch', { clientId: 'batch', grantType: 'client_credentials' })
    await auth.createToken('bob')
    const points = await sdk.points(M.tokensIssued)
    expect(sorted(points.map((p) => [p.attributes, p.value]))).toEqual(
      sorted([
        [{ [A.tokenType]: 'access', [A.grantType]: 'password', [A.clientId]: 'web' }, 1],
        [{ [A.tokenType]: 'refresh', [A.grantType]: 'password', [A.clientId]: 'web' }, 1],
        [{ [A.tokenType]: 'access', [A.grantType]: 'client_credentials', [A.clientId]: 'batch' }, 1],
        [{ [A.tokenType]: 'access' }, 1],
      ]),
    )
  })

  it('counts a rotation, then a reuse of the spent refresh token, by client', async () => {
    const auth = await instrumented()
    const pair = await auth.createTokenPair('alice', { clientId: 'web', grantType: 'password' })
    await auth.refreshAccessToken(pair.refreshToken)
    expect(await sdk.total(M.refreshRotations, { [A.clientId]: 'web' })).toBe(1)
    expect(await sdk.total(M.refreshReuse)).toBe(0)
    expect(await sdk.total(M.tokensIssued, { [A.grantType]: 'refresh_token' })).toBe(2)

    await expect(auth.refreshAccessToken(pair.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
    expect(await sdk.points(M.refreshReuse)).toEqual([{ attributes: { [A.clientId]: 'web' }, value: 1 }])
    expect(await sdk.total(M.refreshRotations)).toBe(1)
  })

  it('counts revocations of a token, of a family and of a subject apart', async () => {
    const auth = await instrumented()
    const pair = await auth.createTokenPair('alice')
    await auth.revokeToken(pair.accessToken)
    expect(await sdk.points(M.revocations)).toEqual([
      { attributes: { [A.revocationTarget]: 'token' }, value: 1 },
    ])
    await auth.revokeToken(pair.refreshToken)
    await auth.revokeSubject('bob')
    await auth.revokeSubject('carol')
    expect(await sdk.total(M.revocations, { [A.revocationTarget]: 'token' })).toBe(1)
    expect(await sdk.total(M.revocations, { [A.revocationTarget]: 'family' })).toBe(1)
    expect(await sdk.total(M.revocations, { [A.revocationTarget]: 'subject' })).toBe(2)
  })

  it('counts verifications by outcome, failure reason, error code and cache hit', async () => {
    const auth = await instrumented()
    const pair = await auth.createTokenPair('alice')
    await auth.verifyToken(pair.accessToken)
    await auth.verifyToken(pair.accessToken)
    await expect(auth.verifyToken(pair.refreshToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_TYPE' })
    await expect(auth.verifyToken('not.a.token')).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
    now += 3600
    await expect(auth.verifyToken(pair.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })

    const points = await sdk.points(M.verifications)
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ [A.tokenType]: 'access', [A.outcome]: 'success', [A.cacheHit]: false }, 1],
      [{ [A.tokenType]: 'access', [A.outcome]: 'success', [A.cacheHit]: true }, 1],
      [
        {
          [A.tokenType]: 'access',
          [A.outcome]: 'failure',
          [A.cacheHit]: false,
          [A.reason]: 'type',
          [A.errorType]: 'ERR_TOKEN_TYPE',
        },
        1,
      ],
      [
        {
          [A.tokenType]: 'access',
          [A.outcome]: 'failure',
          [A.cacheHit]: false,
          [A.reason]: 'malformed',
          [A.errorType]: 'ERR_TOKEN_INVALID',
        },
        1,
      ],
      [
        {
          [A.tokenType]: 'access',
          [A.outcome]: 'failure',
          [A.cacheHit]: true,
          [A.reason]: 'expired',
          [A.errorType]: 'ERR_TOKEN_EXPIRED',
        },
        1,
      ],
    ])
  })

  it('times verifications in seconds, cache hits and misses apart', async () => {
    const auth = await instrumented()
    const token = await auth.createToken('alice')
    for (let n = 0; n < 3; n++) await auth.verifyToken(token)
    const miss = await sdk.points(M.verifyDuration, { [A.cacheHit]: false, [A.outcome]: 'success' })
    const hit = await sdk.points(M.verifyDuration, { [A.cacheHit]: true, [A.outcome]: 'success' })
    expect(miss.map((p) => p.value)).toEqual([1])
    expect(hit.map((p) => p.value)).toEqual([2])
    expect((await sdk.metrics()).get(M.verifyDuration)?.descriptor.unit).toBe('s')
  })

  it('counts store failures as fail_closed, or fail_open when the instance carries on', async () => {
    for (const failOpen of [false, true]) {
      // A real Redis store, closed: it can no longer answer.
      const revocation = await createRedisStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
      await revocation.close()
      const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, revocation, failOpen })
      const local = createSdk()
      const done = instrument(auth, { meterProvider: local.meterProvider })
      const token = await auth.createToken('alice')
      const verified = auth.verifyToken(token)
      if (failOpen) await expect(verified).resolves.toMatchObject({ subject: 'alice' })
      else await expect(verified).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
      await expect(auth.revokeToken(token)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
      expect((await local.points(M.storeErrors)).map((p) => [p.attributes, p.value])).toEqual([
        [{ [A.storeOperation]: 'isRevoked', [A.storeFallback]: failOpen ? 'fail_open' : 'fail_closed' }, 1],
        [{ [A.storeOperation]: 'revoke', [A.storeFallback]: 'fail_closed' }, 1],
      ])
      done()
      await local.shutdown()
    }
  })
})

describe('a Covet instance: gauges', () => {
  it('observes the cache size, and the hit ratio since the previous observation', async () => {
    const auth = await instrumented()
    const [a, b] = await Promise.all([auth.createToken('alice'), auth.createToken('bob')])
    await auth.verifyToken(a)
    await auth.verifyToken(a)
    await auth.verifyToken(a)
    await auth.verifyToken(b)
    const first = await sdk.metrics()
    expect(first.get(M.cacheSize)?.dataPoints.map((p) => p.value)).toEqual([2])
    expect(first.get(M.cacheHitRatio)?.dataPoints.map((p) => p.value)).toEqual([0.5])
    expect(first.get(M.cacheHitRatio)?.descriptor.unit).toBe('1')

    await auth.verifyToken(b)
    expect((await sdk.metrics()).get(M.cacheHitRatio)?.dataPoints.map((p) => p.value)).toEqual([1])
  })

  it('observes no cache gauges when the cache is off', async () => {
    const auth = await instrumented({ cache: false })
    await auth.verifyToken(await auth.createToken('alice'))
    const metrics = await sdk.metrics()
    expect(metrics.get(M.cacheSize)?.dataPoints ?? []).toEqual([])
    expect(metrics.get(M.cacheHitRatio)?.dataPoints ?? []).toEqual([])
  })

  it('observes the size of a store that reports one', async () => {
    const auth = await instrumented()
    await auth.revokeToken(await auth.createToken('alice'))
    await auth.revokeSubject('bob')
    expect((await sdk.points(M.storeSize)).map((p) => p.value)).toEqual([2])
  })

  it('observes the seconds until the oldest verification-only key may be removed, naming its kid', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: { key: SECRET, kid: 'old' },
      accessTokenTtl: '15m',
      refreshTokenTtl: '1h',
      clockTolerance: 0,
    })
    stop = instrument(auth, { meterProvider: sdk.meterProvider })
    expect(await sdk.points(M.keyRetireIn)).toEqual([])
    await auth.updateKeys([
      { key: `${SECRET}-new`, kid: 'new' },
      { key: SECRET, kid: 'old' },
    ])
    const [point] = await sdk.points(M.keyRetireIn)
    expect(point?.attributes).toEqual({ [A.keyId]: 'old' })
    // One hour of refresh-token lifetime from the rotation, less the moment this test took.
    expect(point!.value).toBeGreaterThan(3500)
    expect(point!.value).toBeLessThanOrEqual(3600)
  })
})

describe('a Covet instance: spans', () => {
  it('makes covet.verify a child of the caller’s active span, with its outcome', async () => {
    const auth = await instrumented()
    const token = await auth.createToken('alice')
    const tracer = sdk.tracerProvider.getTracer('app')
    await tracer.startActiveSpan('GET /me', async (parent) => {
      await auth.verifyToken(token)
      await expect(auth.verifyToken(`${token}x`)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
      parent.end()
    })
    const spans = sdk.spans()
    const parent = spans.find((span) => span.name === 'GET /me')!
    const verifies = spans.filter((span) => span.name === SPANS.verify)
    expect(verifies).toHaveLength(2)
    for (const span of verifies) {
      expect(span.kind).toBe(SpanKind.INTERNAL)
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
      expect(span.spanContext().traceId).toBe(parent.spanContext().traceId)
    }
    expect(verifies[0]!.attributes).toEqual({
      [A.tokenType]: 'access',
      [A.outcome]: 'success',
      [A.cacheHit]: false,
    })
    expect(verifies[0]!.status.code).toBe(SpanStatusCode.UNSET)
    expect(verifies[1]!.attributes).toMatchObject({
      [A.outcome]: 'failure',
      [A.errorType]: 'ERR_TOKEN_INVALID',
    })
    expect(verifies[1]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_TOKEN_INVALID' })
  })

  it('traces the refresh token verification of a rotation, expecting a refresh token', async () => {
    const auth = await instrumented()
    const pair = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(pair.refreshToken)
    expect(sdk.spans().map((span) => [span.name, span.attributes[A.tokenType]])).toEqual([
      [SPANS.verify, 'refresh'],
    ])
  })

  it('records nothing more once stopped', async () => {
    const auth = await instrumented()
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    stop()
    await auth.verifyToken(token)
    await auth.createToken('bob')
    expect(await sdk.total(M.verifications)).toBe(1)
    expect(await sdk.total(M.tokensIssued)).toBe(1)
    expect(sdk.spans()).toHaveLength(1)
  })
})
