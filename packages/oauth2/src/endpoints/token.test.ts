import { describe, expect, it } from 'vitest'
import { expectError, JSON_TYPE, NO_STORE } from '../test-support/expect.js'
import { makeClients, post, read, SECRETS, verifyUser } from '../test-support/fixtures.js'
import { useTokenEndpoint } from '../test-support/token-endpoint.js'
import { createTokenEndpoint } from './token.js'

const server = useTokenEndpoint()

const batch = ['batch', SECRETS.batch] as const

describe('token endpoint: the request itself', () => {
  it('answers another method with 405, Allow: POST and no-store', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']) {
      await expectError(await server.token(post('', { method })), 405, 'invalid_request', { allow: 'POST' })
    }
  })

  it('answers a body that is not a form with 400 invalid_request', async () => {
    const request = post('{"grant_type":"client_credentials"}', {
      basic: batch,
      headers: { 'content-type': 'application/json' },
    })
    await expectError(await server.token(request), 400, 'invalid_request')
  })

  it('answers a repeated parameter with 400 invalid_request', async () => {
    const request = post('grant_type=client_credentials&scope=reports&scope=reports', { basic: batch })
    await expectError(await server.token(request), 400, 'invalid_request')
  })

  it('answers a missing grant_type with 400 invalid_request', async () => {
    await expectError(
      await server.token(post({ scope: 'reports' }, { basic: batch })),
      400,
      'invalid_request',
    )
  })

  it('answers an unknown grant type with 400 unsupported_grant_type', async () => {
    for (const grant_type of [
      'authorization_code',
      'constructor',
      '__proto__',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]) {
      await expectError(
        await server.token(post({ grant_type }, { basic: batch })),
        400,
        'unsupported_grant_type',
      )
    }
  })

  it('answers the password grant with unsupported_grant_type when no client is configured for it', async () => {
    const only = createTokenEndpoint({
      auth: server.auth,
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
    await expectError(await server.token(request), 400, 'invalid_request')
  })

  it('answers a malformed Basic header with 400 invalid_request', async () => {
    for (const authorization of [
      'Basic !!!',
      `Basic ${btoa('no-colon')}`,
      `Basic ${btoa('batch:%E0%A4%A')}`,
    ]) {
      const request = post({ grant_type: 'client_credentials' }, { headers: { authorization } })
      await expectError(await server.token(request), 400, 'invalid_request')
    }
  })

  it('answers an unknown client and a wrong secret identically: 401 invalid_client with a Basic challenge', async () => {
    const unknown = await read(
      await server.token(post({ grant_type: 'client_credentials' }, { basic: ['nobody', SECRETS.batch] })),
    )
    const wrong = await read(
      await server.token(post({ grant_type: 'client_credentials' }, { basic: ['batch', 'wrong'] })),
    )
    expect(unknown).toEqual({
      status: 401,
      headers: { ...JSON_TYPE, ...NO_STORE, 'www-authenticate': 'Basic realm="oauth2"' },
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    })
    expect(wrong).toEqual(unknown)
  })

  it('answers a wrong client_secret_post secret the same way, with the configured realm', async () => {
    const endpoint = server.create({ realm: 'covet' })
    const request = post({ grant_type: 'client_credentials', client_id: 'batch', client_secret: 'wrong' })
    await expectError(await endpoint(request), 401, 'invalid_client', {
      'www-authenticate': 'Basic realm="covet"',
    })
  })

  it('answers missing credentials and an id without a secret with 401 invalid_client', async () => {
    await expectError(await server.token(post({ grant_type: 'client_credentials' })), 401, 'invalid_client')
    await expectError(
      await server.token(post({ grant_type: 'client_credentials', client_id: 'batch' })),
      401,
      'invalid_client',
    )
  })

  it('authenticates the RFC 6749 §2.3.1 encoded id "an:identifier" through Basic', async () => {
    const response = await server.token(
      post({ grant_type: 'client_credentials' }, { basic: ['an:identifier', SECRETS.odd] }),
    )
    expect(response.status).toBe(200)
    const issued = await server.auth.verifyToken(
      ((await response.json()) as { access_token: string }).access_token,
    )
    expect(issued.clientId).toBe('an:identifier')
  })

  it('answers a grant the client may not use with 400 unauthorized_client', async () => {
    const request = post({ grant_type: 'password', username: 'alice', password: 'x' }, { basic: batch })
    await expectError(await server.token(request), 400, 'unauthorized_client')
  })
})

describe('token endpoint: client_credentials (RFC 6749 §4.4)', () => {
  it('issues an access token for the client, with no refresh token (§4.4.3), never cached', async () => {
    const response = await server.token(
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
    const issued = await server.auth.verifyToken(result.body!.access_token as string)
    expect(issued).toMatchObject({
      subject: 'batch',
      clientId: 'batch',
      scopes: ['reports'],
      roles: ['service'],
    })
  })

  it('never issues a refresh token, even to a client that may use the refresh_token grant', async () => {
    const response = await server.token(
      post({ grant_type: 'client_credentials' }, { basic: ['other', SECRETS.other] }),
    )
    expect(await read(response)).toMatchObject({ status: 200, body: { token_type: 'Bearer' } })
    const again = await server.token(
      post({ grant_type: 'client_credentials' }, { basic: ['other', SECRETS.other] }),
    )
    expect(await again.json()).not.toHaveProperty('refresh_token')
  })

  it("answers a scope beyond the client's allowed scopes with 400 invalid_scope", async () => {
    await expectError(
      await server.token(
        post({ grant_type: 'client_credentials', scope: 'reports admin' }, { basic: batch }),
      ),
      400,
      'invalid_scope',
    )
  })

  it('answers a malformed scope with 400 invalid_scope', async () => {
    await expectError(
      await server.token(post({ grant_type: 'client_credentials', scope: 'reports  "x"' }, { basic: batch })),
      400,
      'invalid_scope',
    )
  })
})

describe('createTokenEndpoint options', () => {
  it('refuses a password client without verifyUser, naming the option', () => {
    expect(() => createTokenEndpoint({ auth: server.auth, clients: server.clients })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'verifyUser' }),
    )
  })

  it('refuses clients whose scopes the server does not list', () => {
    expect(() => server.create({ scopes: ['read'] })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'scopes' }),
    )
  })

  it('refuses a missing auth and a bad limiter', () => {
    expect(() => createTokenEndpoint({ clients: server.clients, verifyUser } as never)).toThrow(
      expect.objectContaining({ field: 'auth' }),
    )
    expect(() => server.create({ limiter: {} as never })).toThrow(
      expect.objectContaining({ field: 'limiter' }),
    )
  })

  it('refuses the 0.1 observer onError by its new name, reportError', () => {
    expect(() => server.create({ onError: () => {} } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        field: 'onError',
        message:
          'onError: was renamed reportError (it only observes; onError in withJwtAuth replaces the answer)',
      }),
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
