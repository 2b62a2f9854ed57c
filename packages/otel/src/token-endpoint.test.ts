import { createJwtAuth, type JwtAuth } from '@covet/core'
import type { TokenEndpoint } from '@covet/oauth2'
import { SpanStatusCode } from '@opentelemetry/api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { instrument } from './index.js'
import { ATTRIBUTES as A, METRICS as M, SPANS } from './names.js'
import { CLIENT_SECRET, PASSWORD, tokenEndpointFor, tokenRequest } from './test-support/oauth.js'
import { createSdk, type Sdk, sorted } from './test-support/sdk.js'

let sdk: Sdk
let stop: () => void
let auth: JwtAuth<object>
let token: TokenEndpoint

beforeEach(async () => {
  sdk = createSdk()
  auth = await createJwtAuth({ algorithm: 'HS256', keys: 'otel-token-endpoint-secret-0123456789abcdef' })
  token = tokenEndpointFor(auth)
  stop = instrument([auth, token], { meterProvider: sdk.meterProvider, tracerProvider: sdk.tracerProvider })
})
afterEach(async () => {
  stop()
  await sdk.shutdown()
})

const login = (password: string) =>
  token(tokenRequest({ grant_type: 'password', username: 'alice', password }))

describe('a token endpoint', () => {
  it('counts requests by grant, client, status and OAuth error, and times them', async () => {
    expect((await login(PASSWORD)).status).toBe(200)
    expect((await login('wrong')).status).toBe(400)
    expect((await token(tokenRequest({ grant_type: 'password' }, 'not-the-secret'))).status).toBe(401)

    const points = await sdk.points(M.tokenRequests)
    expect(points.map((p) => [p.attributes, p.value])).toEqual([
      [{ [A.grantType]: 'password', [A.clientId]: 'web', [A.statusCode]: 200, [A.outcome]: 'success' }, 1],
      [
        {
          [A.grantType]: 'password',
          [A.clientId]: 'web',
          [A.statusCode]: 400,
          [A.outcome]: 'failure',
          [A.oauthError]: 'invalid_grant',
        },
        1,
      ],
      [
        {
          [A.grantType]: 'password',
          [A.statusCode]: 401,
          [A.outcome]: 'failure',
          [A.oauthError]: 'invalid_client',
        },
        1,
      ],
    ])
    expect(await sdk.total(M.tokenDuration, { [A.grantType]: 'password', [A.outcome]: 'success' })).toBe(1)
    expect(await sdk.total(M.tokenDuration, { [A.grantType]: 'password', [A.outcome]: 'failure' })).toBe(2)
  })

  it('counts each failed login, then each lockout, by client and never by username', async () => {
    for (let n = 1; n <= 10; n++) {
      expect((await login('wrong')).status).toBe(400)
      expect(await sdk.points(M.loginFailures)).toEqual([{ attributes: { [A.clientId]: 'web' }, value: n }])
    }
    expect(await sdk.total(M.lockouts)).toBe(0)
    expect((await login('wrong')).status).toBe(429)
    expect((await login(PASSWORD)).status).toBe(429)
    expect(await sdk.points(M.lockouts)).toEqual([{ attributes: { [A.clientId]: 'web' }, value: 2 }])
    expect(await sdk.total(M.loginFailures)).toBe(10)
  })

  it('counts tokens issued under each grant, from the Covet instance behind the endpoint', async () => {
    const pair = (await (await login(PASSWORD)).json()) as { refresh_token: string }
    await token(tokenRequest({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }))
    await token(tokenRequest({ grant_type: 'client_credentials' }, `${CLIENT_SECRET}-batch`, 'batch'))
    const issued = (await sdk.points(M.tokensIssued)).map((p) => [
      p.attributes[A.tokenType],
      p.attributes[A.grantType],
      p.attributes[A.clientId],
      p.value,
    ])
    expect(sorted(issued)).toEqual(
      sorted([
        ['access', 'password', 'web', 1],
        ['refresh', 'password', 'web', 1],
        ['access', 'refresh_token', 'web', 1],
        ['refresh', 'refresh_token', 'web', 1],
        ['access', 'client_credentials', 'batch', 1],
      ]),
    )
  })

  it('makes covet.oauth2.token a child of the caller’s span, and the refresh token’s covet.verify its sibling', async () => {
    const pair = (await (await login(PASSWORD)).json()) as { refresh_token: string }
    const tracer = sdk.tracerProvider.getTracer('app')
    await tracer.startActiveSpan('POST /oauth/token', async (parent) => {
      await token(tokenRequest({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }))
      await token(tokenRequest({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }))
      parent.end()
    })
    const spans = sdk.spans()
    const parent = spans.find((span) => span.name === 'POST /oauth/token')!
    const requests = spans.filter((span) => span.name === SPANS.token && span.parentSpanContext !== undefined)
    expect(requests).toHaveLength(2)
    for (const span of requests) expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
    const verifies = spans.filter((span) => span.name === SPANS.verify)
    expect(verifies.map((span) => span.parentSpanContext?.spanId)).toEqual([
      parent.spanContext().spanId,
      parent.spanContext().spanId,
    ])
    expect(requests[0]!.attributes).toEqual({
      [A.grantType]: 'refresh_token',
      [A.clientId]: 'web',
      [A.statusCode]: 200,
      [A.outcome]: 'success',
    })
    // The second use of the same refresh token is reuse: RFC 6749 §5.2 invalid_grant.
    expect(requests[1]!.attributes).toMatchObject({ [A.statusCode]: 400, [A.oauthError]: 'invalid_grant' })
    expect(requests[1]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'invalid_grant' })
    expect(await sdk.points(M.refreshReuse)).toEqual([{ attributes: { [A.clientId]: 'web' }, value: 1 }])
  })
})
