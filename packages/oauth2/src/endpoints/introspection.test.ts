import type { JwtAuth } from '@covet/core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  frozenClock,
  ISSUER,
  makeAuth,
  makeClients,
  post,
  read,
  SECRETS,
  START,
} from '../test-support/fixtures.js'
import { createIntrospectionEndpoint } from './introspection.js'

const clients = makeClients()
const web = ['web', SECRETS.web] as const
const other = ['other', SECRETS.other] as const
const rs = ['rs', SECRETS.rs] as const
const NO_STORE = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'content-type': 'application/json;charset=UTF-8',
}
const clock = frozenClock()
let auth: JwtAuth<object>
let introspect: (request: Request) => Promise<Response>

beforeAll(async () => {
  auth = await makeAuth(clock)
  introspect = createIntrospectionEndpoint({ auth, clients })
})

const iat = Math.floor(START / 1000)

describe('introspection endpoint (RFC 7662)', () => {
  it('describes an active access token with the §2.2 members, never cached', async () => {
    const pair = await auth.createTokenPair('alice', { clientId: 'web', scope: 'read write' })
    const result = await read(await introspect(post({ token: pair.accessToken }, { basic: web })))
    expect(result.status).toBe(200)
    expect(result.headers).toMatchObject(NO_STORE)
    expect(result.body).toEqual({
      active: true,
      sub: 'alice',
      scope: 'read write',
      client_id: 'web',
      exp: iat + 900,
      iat,
      iss: ISSUER,
      aud: 'covet-api',
      jti: expect.any(String),
      token_type: 'Bearer',
    })
  })

  it('describes a refresh token as such', async () => {
    const pair = await auth.createTokenPair('alice', { clientId: 'web' })
    const result = await read(
      await introspect(post({ token: pair.refreshToken, token_type_hint: 'access_token' }, { basic: web })),
    )
    expect(result.body).toMatchObject({ active: true, token_type: 'refresh_token', exp: iat + 86_400 })
    expect(result.body).not.toHaveProperty('scope')
  })

  it('answers exactly {"active":false} for unknown, malformed, revoked and expired tokens', async () => {
    const revoked = await auth.createTokenPair('alice', { clientId: 'web' })
    await auth.revokeToken(revoked.accessToken)
    const expiring = await auth.createToken('alice', { clientId: 'web', ttl: 60 })
    clock.advance(120)
    for (const token of ['unknown', 'a.b.c', revoked.accessToken, expiring]) {
      const response = await introspect(post({ token }, { basic: web }))
      expect(response.status).toBe(200)
      expect(Object.fromEntries(response.headers)).toMatchObject(NO_STORE)
      expect(await response.text()).toBe('{"active":false}')
    }
  })

  it('answers exactly {"active":false} for a refresh token spent by rotation', async () => {
    const pair = await auth.createTokenPair('alice', { clientId: 'web' })
    await auth.refreshAccessToken(pair.refreshToken, { clientId: 'web' })
    const response = await introspect(post({ token: pair.refreshToken }, { basic: web }))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('{"active":false}')
  })

  it('answers {"active":false} to a client asking about another client\'s token', async () => {
    const pair = await auth.createTokenPair('alice', { clientId: 'web' })
    expect(await (await introspect(post({ token: pair.accessToken }, { basic: other }))).text()).toBe(
      '{"active":false}',
    )
  })

  it('describes any token to a client allowed to introspect any', async () => {
    const pair = await auth.createTokenPair('alice', { clientId: 'web' })
    expect(
      (await read(await introspect(post({ token: pair.accessToken }, { basic: rs })))).body,
    ).toMatchObject({
      active: true,
      client_id: 'web',
    })
  })

  it('requires client authentication: 401 invalid_client with a Basic challenge', async () => {
    const pair = await auth.createTokenPair('alice', { clientId: 'web' })
    for (const request of [
      post({ token: pair.accessToken }),
      post({ token: pair.accessToken }, { basic: ['web', 'nope'] }),
    ]) {
      expect(await read(await introspect(request))).toEqual({
        status: 401,
        headers: { ...NO_STORE, 'www-authenticate': 'Basic realm="oauth2"' },
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      })
    }
  })

  it('answers a missing token with 400 invalid_request and GET with 405', async () => {
    expect(await read(await introspect(post({}, { basic: web })))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    })
    expect(await read(await introspect(post('', { method: 'GET' })))).toMatchObject({
      status: 405,
      headers: { allow: 'POST' },
    })
  })
})
