import type { JwtAuth } from '@covet/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createMemoryLimiter } from '../limiter/memory.js'
import {
  frozenClock,
  makeAuth,
  makeClients,
  post,
  read,
  SECRETS,
  verifyUser,
} from '../test-support/fixtures.js'
import { createTokenEndpoint } from './token.js'

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' }
const clients = makeClients()
let auth: JwtAuth<object>
let token: (request: Request) => Promise<Response>

beforeAll(async () => {
  auth = await makeAuth()
  token = createTokenEndpoint({ auth, clients, verifyUser, limiter: false, clientLimiter: false })
})

const web = ['web', SECRETS.web] as const
const batch = ['batch', SECRETS.batch] as const

async function expectError(
  response: Response,
  status: number,
  error: string,
  headers: Record<string, string> = {},
) {
  const result = await read(response)
  expect(result.status).toBe(status)
  expect(result.body).toEqual({ error, error_description: expect.any(String) })
  expect(result.headers).toMatchObject({ ...JSON_TYPE, ...NO_STORE, ...headers })
  return result
}

describe('token endpoint: the request itself', () => {
  it('answers another method with 405, Allow: POST and no-store', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']) {
      await expectError(await token(post('', { method })), 405, 'invalid_request', { allow: 'POST' })
    }
  })

  it('answers a body that is not a form with 400 invalid_request', async () => {
    const request = post('{"grant_type":"client_credentials"}', {
      basic: batch,
      headers: { 'content-type': 'application/json' },
    })
    await expectError(await token(request), 400, 'invalid_request')
  })

  it('answers a repeated parameter with 400 invalid_request', async () => {
    const request = post('grant_type=client_credentials&scope=reports&scope=reports', { basic: batch })
    await expectError(await token(request), 400, 'invalid_request')
  })

  it('answers a missing grant_type with 400 invalid_request', async () => {
    await expectError(await token(post({ scope: 'reports' }, { basic: batch })), 400, 'invalid_request')
  })

  it('answers an unknown grant type with 400 unsupported_grant_type', async () => {
    for (const grant_type of [
      'authorization_code',
      'constructor',
      '__proto__',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]) {
      await expectError(await token(post({ grant_type }, { basic: batch })), 400, 'unsupported_grant_type')
    }
  })

  it('answers the password grant with unsupported_grant_type when no client is configured for it', async () => {
    const only = createTokenEndpoint({
      auth,
      clients: makeClients([
        { clientId: 'batch', secret: SECRETS.batch, grantTypes: ['client_credentials'] },
      ]),
    })
    const request = post({ grant_type: 'password', username: 'alice', password: 'x' }, { basic: batch })
    await expectError(await only(request), 400, 'unsupported_grant_type')
  })
})

describe('token endpoint: client authentication', () => {
  it('answers Basic and body credentials together with 400 invalid_request', async () => {
    const request = post(
      { grant_type: 'client_credentials', client_id: 'batch', client_secret: SECRETS.batch },
      { basic: batch },
    )
    await expectError(await token(request), 400, 'invalid_request')
  })

  it('answers a malformed Basic header with 400 invalid_request', async () => {
    for (const authorization of [
      'Basic !!!',
      `Basic ${btoa('no-colon')}`,
      `Basic ${btoa('batch:%E0%A4%A')}`,
    ]) {
      const request = post({ grant_type: 'client_credentials' }, { headers: { authorization } })
      await expectError(await token(request), 400, 'invalid_request')
    }
  })

  it('answers an unknown client and a wrong secret identically: 401 invalid_client with a Basic challenge', async () => {
    const unknown = await read(
      await token(post({ grant_type: 'client_credentials' }, { basic: ['nobody', SECRETS.batch] })),
    )
    const wrong = await read(
      await token(post({ grant_type: 'client_credentials' }, { basic: ['batch', 'wrong'] })),
    )
    expect(unknown).toEqual({
      status: 401,
      headers: { ...JSON_TYPE, ...NO_STORE, 'www-authenticate': 'Basic realm="oauth2"' },
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    })
    expect(wrong).toEqual(unknown)
  })

  it('answers a wrong client_secret_post secret the same way, with the configured realm', async () => {
    const endpoint = createTokenEndpoint({ auth, clients, verifyUser, realm: 'covet' })
    const request = post({ grant_type: 'client_credentials', client_id: 'batch', client_secret: 'wrong' })
    await expectError(await endpoint(request), 401, 'invalid_client', {
      'www-authenticate': 'Basic realm="covet"',
    })
  })

  it('answers missing credentials and an id without a secret with 401 invalid_client', async () => {
    await expectError(await token(post({ grant_type: 'client_credentials' })), 401, 'invalid_client')
    await expectError(
      await token(post({ grant_type: 'client_credentials', client_id: 'batch' })),
      401,
      'invalid_client',
    )
  })

  it('authenticates the RFC 6749 §2.3.1 encoded id "an:identifier" through Basic', async () => {
    const response = await token(
      post({ grant_type: 'client_credentials' }, { basic: ['an:identifier', SECRETS.odd] }),
    )
    expect(response.status).toBe(200)
    const issued = await auth.verifyToken(((await response.json()) as { access_token: string }).access_token)
    expect(issued.clientId).toBe('an:identifier')
  })

  it('answers a grant the client may not use with 400 unauthorized_client', async () => {
    const request = post({ grant_type: 'password', username: 'alice', password: 'x' }, { basic: batch })
    await expectError(await token(request), 400, 'unauthorized_client')
  })
})

describe('token endpoint: client_credentials (RFC 6749 §4.4)', () => {
  it('issues an access token for the client, with no refresh token (§4.4.3), never cached', async () => {
    const response = await token(
      post({ grant_type: 'client_credentials', scope: 'reports' }, { basic: batch }),
    )
    const result = await read(response)
    expect(result.status).toBe(200)
    expect(result.headers).toMatchObject({ ...JSON_TYPE, ...NO_STORE })
    expect(result.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'reports',
    })
    const issued = await auth.verifyToken(result.body!.access_token as string)
    expect(issued).toMatchObject({
      subject: 'batch',
      clientId: 'batch',
      scopes: ['reports'],
      roles: ['service'],
    })
  })

  it('never issues a refresh token, even to a client that may use the refresh_token grant', async () => {
    const response = await token(
      post({ grant_type: 'client_credentials' }, { basic: ['other', SECRETS.other] }),
    )
    expect(await read(response)).toMatchObject({ status: 200, body: { token_type: 'Bearer' } })
    const again = await token(post({ grant_type: 'client_credentials' }, { basic: ['other', SECRETS.other] }))
    expect(await again.json()).not.toHaveProperty('refresh_token')
  })

  it("answers a scope beyond the client's allowed scopes with 400 invalid_scope", async () => {
    await expectError(
      await token(post({ grant_type: 'client_credentials', scope: 'reports admin' }, { basic: batch })),
      400,
      'invalid_scope',
    )
  })

  it('answers a malformed scope with 400 invalid_scope', async () => {
    await expectError(
      await token(post({ grant_type: 'client_credentials', scope: 'reports  "x"' }, { basic: batch })),
      400,
      'invalid_scope',
    )
  })
})

describe('token endpoint: password (RFC 6749 §4.3)', () => {
  it('issues an access and refresh token pair for valid credentials', async () => {
    const request = post(
      { grant_type: 'password', username: 'alice', password: 'correct horse battery staple', scope: 'read' },
      { basic: web },
    )
    const result = await read(await token(request))
    expect(result.status).toBe(200)
    expect(result.headers).toMatchObject({ ...JSON_TYPE, ...NO_STORE })
    expect(result.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      scope: 'read',
    })
    expect(await auth.verifyToken(result.body!.access_token as string)).toMatchObject({
      subject: 'alice',
      clientId: 'web',
      roles: ['admin'],
      scopes: ['read'],
    })
  })

  it('issues an access token alone to a client without the refresh_token grant', async () => {
    const endpoint = createTokenEndpoint({
      auth,
      verifyUser,
      clients: makeClients([{ clientId: 'web', secret: SECRETS.web, grantTypes: ['password'] }]),
    })
    const request = post(
      { grant_type: 'password', username: 'bob', password: 'hunter2-but-longer' },
      { basic: web },
    )
    const result = await read(await endpoint(request))
    expect(result.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 })
  })

  it('answers a wrong password and an unknown user identically with 400 invalid_grant', async () => {
    const wrong = await read(
      await token(post({ grant_type: 'password', username: 'alice', password: 'nope' }, { basic: web })),
    )
    const unknown = await read(
      await token(post({ grant_type: 'password', username: 'mallory', password: 'nope' }, { basic: web })),
    )
    expect(wrong).toEqual({
      status: 400,
      headers: { ...JSON_TYPE, ...NO_STORE },
      body: { error: 'invalid_grant', error_description: 'The resource owner credentials are invalid' },
    })
    expect(unknown).toEqual(wrong)
  })

  it('answers a missing username or password with 400 invalid_request', async () => {
    await expectError(
      await token(post({ grant_type: 'password', username: 'alice' }, { basic: web })),
      400,
      'invalid_request',
    )
    await expectError(
      await token(post({ grant_type: 'password', password: 'x' }, { basic: web })),
      400,
      'invalid_request',
    )
  })

  it("answers a scope beyond the client's allowed scopes with 400 invalid_scope, before checking the password", async () => {
    let calls = 0
    const counting = async () => {
      calls++
      return null
    }
    const endpoint = createTokenEndpoint({ auth, clients, verifyUser: counting })
    const request = post(
      { grant_type: 'password', username: 'alice', password: 'x', scope: 'read admin' },
      { basic: web },
    )
    await expectError(await endpoint(request), 400, 'invalid_scope')
    expect(calls).toBe(0)
  })

  it('narrows the scope to what the user may hold, and refuses when nothing remains', async () => {
    const endpoint = createTokenEndpoint({
      auth,
      clients,
      verifyUser: async () => ({ subject: 'carol', scopes: ['read'] }),
    })
    const narrowed = await read(
      await endpoint(
        post({ grant_type: 'password', username: 'c', password: 'p', scope: 'read write' }, { basic: web }),
      ),
    )
    expect(narrowed.body).toMatchObject({ scope: 'read' })
    await expectError(
      await endpoint(
        post({ grant_type: 'password', username: 'c', password: 'p', scope: 'write' }, { basic: web }),
      ),
      400,
      'invalid_scope',
    )
  })

  it('answers 500 server_error without details when verifyUser throws, and reports the error', async () => {
    const seen: unknown[] = []
    const endpoint = createTokenEndpoint({
      auth,
      clients,
      verifyUser: async () => {
        throw new Error('database down: password=hunter2')
      },
      onError: (error) => seen.push(error),
    })
    const response = await endpoint(
      post({ grant_type: 'password', username: 'alice', password: 'hunter2' }, { basic: web }),
    )
    const result = await expectError(response, 500, 'server_error')
    expect(JSON.stringify(result.body)).not.toContain('hunter2')
    expect(seen).toHaveLength(1)
  })
})

describe('token endpoint: login throttling', () => {
  it('answers the 11th attempt within 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const clock = frozenClock()
    const endpoint = createTokenEndpoint({
      auth,
      clients,
      verifyUser,
      limiter: createMemoryLimiter({ limit: 10, window: '15m', clock: clock.now }),
    })
    const attempt = (password: string) =>
      endpoint(post({ grant_type: 'password', username: 'alice', password }, { basic: web }))
    for (let i = 0; i < 10; i++) expect((await attempt('wrong')).status).toBe(400)
    clock.advance(60)
    await expectError(await attempt('correct horse battery staple'), 429, 'temporarily_unavailable', {
      'retry-after': '840',
    })
    clock.advance(840)
    expect((await attempt('correct horse battery staple')).status).toBe(200)
  })

  it('counts case variants of a username together and other usernames apart', async () => {
    const clock = frozenClock()
    const endpoint = createTokenEndpoint({
      auth,
      clients,
      verifyUser,
      limiter: createMemoryLimiter({ limit: 2, window: '15m', clock: clock.now }),
    })
    const attempt = (username: string) =>
      endpoint(post({ grant_type: 'password', username, password: 'wrong' }, { basic: web }))
    expect((await attempt('Alice')).status).toBe(400)
    expect((await attempt('ALICE')).status).toBe(400)
    expect((await attempt('alice')).status).toBe(429)
    expect((await attempt('bob')).status).toBe(400)
  })

  it("forgets a username's failures after a successful login", async () => {
    const endpoint = createTokenEndpoint({
      auth,
      clients,
      verifyUser,
      limiter: createMemoryLimiter({ limit: 2, window: '15m' }),
    })
    const attempt = (password: string) =>
      endpoint(post({ grant_type: 'password', username: 'bob', password }, { basic: web }))
    expect((await attempt('wrong')).status).toBe(400)
    expect((await attempt('hunter2-but-longer')).status).toBe(200)
    expect((await attempt('wrong')).status).toBe(400)
    expect((await attempt('hunter2-but-longer')).status).toBe(200)
  })

  it('throttles a client whose logins fail across many usernames', async () => {
    const clock = frozenClock()
    const endpoint = createTokenEndpoint({
      auth,
      clients,
      verifyUser,
      limiter: false,
      clientLimiter: createMemoryLimiter({ limit: 3, window: '1m', clock: clock.now }),
    })
    const attempt = (client: readonly [string, string], username: string) =>
      endpoint(post({ grant_type: 'password', username, password: 'wrong' }, { basic: client }))
    for (const name of ['u1', 'u2', 'u3']) expect((await attempt(web, name)).status).toBe(400)
    await expectError(await attempt(web, 'u4'), 429, 'temporarily_unavailable', { 'retry-after': '60' })
    expect((await attempt(['other', SECRETS.other], 'u4')).status).toBe(400)
  })
})

describe('token endpoint: refresh_token (RFC 6749 §6)', () => {
  async function login(scope = 'read write', client: readonly [string, string] = web) {
    const response = await token(
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
  ) => token(post({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { basic: client }))

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
      await token(post({ grant_type: 'refresh_token' }, { basic: web })),
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
    await auth.revokeToken(pair.refresh_token)
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

  it('answers an expired refresh token with 400 invalid_grant', async () => {
    const clock = frozenClock()
    const expiring = await makeAuth(clock)
    const endpoint = createTokenEndpoint({ auth: expiring, clients, verifyUser })
    const pair = await expiring.createTokenPair('alice', { clientId: 'web', scope: 'read' })
    clock.advance(24 * 3600 + 60)
    const response = await endpoint(
      post({ grant_type: 'refresh_token', refresh_token: pair.refreshToken }, { basic: web }),
    )
    await expectError(response, 400, 'invalid_grant')
  })
})

describe('createTokenEndpoint options', () => {
  it('refuses a password client without verifyUser, naming the option', () => {
    expect(() => createTokenEndpoint({ auth, clients })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'verifyUser' }),
    )
  })

  it('refuses clients whose scopes the server does not list', () => {
    expect(() => createTokenEndpoint({ auth, clients, verifyUser, scopes: ['read'] })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'scopes' }),
    )
  })

  it('refuses a missing auth and a bad limiter', () => {
    expect(() => createTokenEndpoint({ clients, verifyUser } as never)).toThrow(
      expect.objectContaining({ field: 'auth' }),
    )
    expect(() => createTokenEndpoint({ auth, clients, verifyUser, limiter: {} as never })).toThrow(
      expect.objectContaining({ field: 'limiter' }),
    )
  })

  it('refuses a client with both a secret and a hash, or neither', () => {
    expect(() => makeClients([{ clientId: 'x', grantTypes: ['client_credentials'] }])).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'clients[0]' }),
    )
    expect(() =>
      makeClients([{ clientId: 'x', secret: 'a', secretHash: 'b', grantTypes: ['client_credentials'] }]),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }))
  })
})
