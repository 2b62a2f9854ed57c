import { randomUUID } from 'node:crypto'
import { createJwtAuth } from '@covet/core'
import { createRedisStore } from '@covet/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { instrument } from './index.js'
import { CLIENT_SECRET, PASSWORD, tokenEndpointFor, tokenRequest } from './test-support/oauth.js'
import { createSdk, exportedStrings, type Sdk } from './test-support/sdk.js'

// Every attribute, span name, status and event exported during a busy session is scanned for the
// tokens, secrets, usernames and subjects that session used.

const SIGNING_SECRET = 'otel-no-secrets-signing-key-0123456789abcdef'
let sdk: Sdk
const secrets = new Set<string>([SIGNING_SECRET, CLIENT_SECRET, `${CLIENT_SECRET}-batch`, PASSWORD, 'alice'])

beforeAll(async () => {
  sdk = createSdk()
  const store = await createRedisStore({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `covet-test:otel-secrets:${randomUUID().slice(0, 8)}:`,
  })
  const auth = await createJwtAuth({
    algorithm: 'HS256',
    keys: SIGNING_SECRET,
    revocation: store,
    accessTokenTtl: '1m',
    refreshTokenTtl: '2m',
  })
  const token = tokenEndpointFor(auth)
  const stop = instrument([auth, token, store], {
    meterProvider: sdk.meterProvider,
    tracerProvider: sdk.tracerProvider,
  })
  const tracer = sdk.tracerProvider.getTracer('app')
  await tracer.startActiveSpan('session', async (session) => {
    const login = await token(tokenRequest({ grant_type: 'password', username: 'alice', password: PASSWORD }))
    const pair = (await login.json()) as { access_token: string; refresh_token: string }
    const rotated = await token(
      tokenRequest({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }),
    )
    const next = (await rotated.json()) as { access_token: string; refresh_token: string }
    await token(tokenRequest({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }))
    await token(tokenRequest({ grant_type: 'password', username: 'alice', password: 'alice-wrong-password' }))
    await token(
      tokenRequest({ grant_type: 'password', username: 'alice', password: PASSWORD }, 'wrong-secret'),
    )
    await token(tokenRequest({ grant_type: 'client_credentials' }, `${CLIENT_SECRET}-batch`, 'batch'))
    for (const value of [pair.access_token, pair.refresh_token, next.access_token, next.refresh_token]) {
      secrets.add(value)
      // Every part of a token too: its header, its claims, its signature.
      for (const part of value.split('.')) secrets.add(part)
      await auth.verifyToken(value).catch(() => {})
    }
    const claims = await auth.verifyToken(next.access_token, { type: 'any' }).catch(() => undefined)
    if (claims !== undefined) {
      secrets.add(claims.subject)
      if (claims.jti !== undefined) secrets.add(claims.jti)
    }
    await auth.verifyToken(`${next.access_token.slice(0, -4)}AAAA`).catch(() => {})
    await auth.revokeToken(next.access_token)
    await auth.revokeSubject('user-7f3a')
    session.end()
  })
  // The subject verifyUser gives alice, and the ids of the tokens above.
  secrets.add('user-7f3a')
  await sdk.metrics()
  stop()
  await store.close()
})
afterAll(async () => {
  await sdk.shutdown()
})

describe('what is exported', () => {
  it('holds metrics and spans from the whole session', async () => {
    const strings = await exportedStrings(sdk)
    expect(strings.length).toBeGreaterThan(50)
    expect(sdk.spans().map((span) => span.name)).toContain('covet.oauth2.token')
  })

  it('never holds a token, a part of one, a secret, a password, a username or a subject', async () => {
    const exported = (await exportedStrings(sdk)).join('\n')
    const found = [...secrets].filter((secret) => secret.length >= 5 && exported.includes(secret))
    expect(found).toEqual([])
  })
})
