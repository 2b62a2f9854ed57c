import { createJwtAuth } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { expectError, NO_STORE } from '../test-support/expect.js'
import { frozenClock, makeAuth, post, read, SECRETS } from '../test-support/fixtures.js'
import { useTokenEndpoint } from '../test-support/token-endpoint.js'

const server = useTokenEndpoint()

const web = ['web', SECRETS.web] as const

describe('token endpoint: refresh_token (RFC 6749 §6)', () => {
  async function login(scope = 'read write', client: readonly [string, string] = web) {
    const response = await server.token(
      post(
        { grant_type: 'password', username: 'alice', password: 'correct horse battery staple', scope },
        { basic: client },
      ),
    )
    return (await response.json()) as { access_token: string; refresh_token: string }
  }
  const refresh = (
    refreshToken: string,
    extra: Record<string, string> = {},
    client: readonly [string, string] = web,
  ) =>
    server.token(
      post({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { basic: client }),
    )

  it('rotates the pair and keeps the scope', async () => {
    const pair = await login()
    const result = await read(await refresh(pair.refresh_token))
    expect(result.status).toBe(200)
    expect(result.headers).toMatchObject(NO_STORE)
    expect(result.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      scope: 'read write',
    })
    expect(result.body!.refresh_token).not.toBe(pair.refresh_token)
  })

  it('narrows the scope when asked', async () => {
    const pair = await login()
    expect((await read(await refresh(pair.refresh_token, { scope: 'read' }))).body).toMatchObject({
      scope: 'read',
    })
  })

  it('answers a widened scope with 400 invalid_scope', async () => {
    const pair = await login('read')
    await expectError(await refresh(pair.refresh_token, { scope: 'read write' }), 400, 'invalid_scope')
  })

  it('answers a missing refresh_token with 400 invalid_request', async () => {
    await expectError(
      await server.token(post({ grant_type: 'refresh_token' }, { basic: web })),
      400,
      'invalid_request',
    )
  })

  it('answers a spent refresh token with 400 invalid_grant, and ends its family', async () => {
    const pair = await login()
    const next = (await (await refresh(pair.refresh_token)).json()) as { refresh_token: string }
    await expectError(await refresh(pair.refresh_token), 400, 'invalid_grant')
    await expectError(await refresh(next.refresh_token), 400, 'invalid_grant')
  })

  it('answers a revoked refresh token with 400 invalid_grant', async () => {
    const pair = await login()
    await server.auth.revokeToken(pair.refresh_token)
    await expectError(await refresh(pair.refresh_token), 400, 'invalid_grant')
  })

  it('answers a refresh token issued to another client with 400 invalid_grant', async () => {
    const pair = await login('read', ['other', SECRETS.other])
    await expectError(await refresh(pair.refresh_token), 400, 'invalid_grant')
  })

  it('answers an access token, a forged token and garbage with 400 invalid_grant', async () => {
    const pair = await login()
    const [header, payload] = pair.refresh_token.split('.')
    for (const bad of [pair.access_token, `${header}.${payload}.AAAA`, 'not-a-token']) {
      await expectError(await refresh(bad), 400, 'invalid_grant')
    }
  })

  it('answers a subject over its refresh rate with 429 temporarily_unavailable and Retry-After, leaving the token usable', async () => {
    const clock = frozenClock()
    const limited = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'a-test-secret-of-at-least-thirty-two-bytes!!',
      clock: clock.now,
      refreshRateLimit: { limit: 2, window: '1m' },
    })
    const endpoint = server.create({ auth: limited, limiter: false })
    const rotate = async (refreshToken: string) =>
      endpoint(post({ grant_type: 'refresh_token', refresh_token: refreshToken }, { basic: web }))
    let current = (await limited.createTokenPair('alice', { clientId: 'web', scope: 'read' })).refreshToken
    for (let i = 0; i < 2; i++) {
      const response = await rotate(current)
      expect(response.status).toBe(200)
      current = ((await response.json()) as { refresh_token: string }).refresh_token
    }
    clock.advance(20)
    const refused = await expectError(await rotate(current), 429, 'temporarily_unavailable', {
      'retry-after': '40',
    })
    expect(refused.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'Too many refreshes; retry later',
    })
    clock.advance(40)
    expect((await rotate(current)).status).toBe(200)
  })

  it('answers an expired refresh token with 400 invalid_grant', async () => {
    const clock = frozenClock()
    const expiring = await makeAuth(clock)
    const endpoint = server.create({ auth: expiring })
    const pair = await expiring.createTokenPair('alice', { clientId: 'web', scope: 'read' })
    clock.advance(24 * 3600 + 60)
    const response = await endpoint(
      post({ grant_type: 'refresh_token', refresh_token: pair.refreshToken }, { basic: web }),
    )
    await expectError(response, 400, 'invalid_grant')
  })
})
