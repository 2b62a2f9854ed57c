import { describe, expect, it } from 'vitest'
import { createMemoryLimiter } from '../limiter/memory.js'
import { expectError, JSON_TYPE, NO_STORE } from '../test-support/expect.js'
import { frozenClock, makeClients, post, read, SECRETS } from '../test-support/fixtures.js'
import { useTokenEndpoint } from '../test-support/token-endpoint.js'

const server = useTokenEndpoint()

const web = ['web', SECRETS.web] as const

describe('token endpoint: password (RFC 6749 §4.3)', () => {
  it('issues an access and refresh token pair for valid credentials', async () => {
    const request = post(
      { grant_type: 'password', username: 'alice', password: 'correct horse battery staple', scope: 'read' },
      { basic: web },
    )
    const result = await read(await server.token(request))
    expect(result.status).toBe(200)
    expect(result.headers).toMatchObject({ ...JSON_TYPE, ...NO_STORE })
    expect(result.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      scope: 'read',
    })
    expect(await server.auth.verifyToken(result.body!.access_token as string)).toMatchObject({
      subject: 'alice',
      clientId: 'web',
      roles: ['admin'],
      scopes: ['read'],
    })
  })

  it('issues an access token alone to a client without the refresh_token grant', async () => {
    const endpoint = server.create({
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
      await server.token(
        post({ grant_type: 'password', username: 'alice', password: 'nope' }, { basic: web }),
      ),
    )
    const unknown = await read(
      await server.token(
        post({ grant_type: 'password', username: 'mallory', password: 'nope' }, { basic: web }),
      ),
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
      await server.token(post({ grant_type: 'password', username: 'alice' }, { basic: web })),
      400,
      'invalid_request',
    )
    await expectError(
      await server.token(post({ grant_type: 'password', password: 'x' }, { basic: web })),
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
    const endpoint = server.create({ verifyUser: counting })
    const request = post(
      { grant_type: 'password', username: 'alice', password: 'x', scope: 'read admin' },
      { basic: web },
    )
    await expectError(await endpoint(request), 400, 'invalid_scope')
    expect(calls).toBe(0)
  })

  it('narrows the scope to what the user may hold, and refuses when nothing remains', async () => {
    const endpoint = server.create({
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
    const endpoint = server.create({
      verifyUser: async () => {
        throw new Error('database down: password=hunter2')
      },
      reportError: (error) => seen.push(error),
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
    const endpoint = server.create({
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
    const endpoint = server.create({
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
    const endpoint = server.create({
      limiter: createMemoryLimiter({ limit: 2, window: '15m' }),
    })
    const attempt = (password: string) =>
      endpoint(post({ grant_type: 'password', username: 'bob', password }, { basic: web }))
    expect((await attempt('wrong')).status).toBe(400)
    expect((await attempt('hunter2-but-longer')).status).toBe(200)
    expect((await attempt('wrong')).status).toBe(400)
    expect((await attempt('hunter2-but-longer')).status).toBe(200)
  })
})
