import { beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { getAuth } from './auth-context.js'
import { withJwtAuth } from './with-jwt-auth.js'

// RFC 9449 §7.1: with DPoP allowed (the default), a request without credentials is offered both schemes.
const NO_CREDENTIALS = `Bearer realm="api", DPoP realm="api", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"`

const START = Date.UTC(2026, 0, 1, 12)
let now = START
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'http-layer-tests-secret-0123456789abcdef',
  issuer: 'https://issuer.test',
  audience: 'api',
  clock: () => now,
})

const app = withJwtAuth((request) => Response.json({ subject: getAuth(request)?.subject ?? null }), {
  auth,
  realm: 'api',
})

function get(headers: HeadersInit = {}, path = '/me', method = 'GET'): Request {
  return new Request(`https://api.test${path}`, { method, headers })
}

function bearer(token: string, path = '/me'): Request {
  return get({ authorization: `Bearer ${token}` }, path)
}

const PROBLEM = 'application/problem+json'
const invalidToken = (description: string) =>
  `Bearer realm="api", error="invalid_token", error_description="${description}"`

function problem(status: number, title: string, detail: string, code: string) {
  return { type: 'about:blank', title, status, detail, code }
}

beforeEach(() => {
  now = START
})

describe('withJwtAuth on a protected path', () => {
  it('passes a valid access token through and exposes the identity', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await app(bearer(accessToken))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ subject: 'alice' })
  })

  it('answers a request without credentials with 401 and a challenge without error code', async () => {
    const res = await app(get())
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
    expect(res.headers.get('content-type')).toBe(PROBLEM)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual(
      problem(401, 'Unauthorized', 'Authentication is required', 'ERR_CREDENTIALS_MISSING'),
    )
  })

  it('treats an Authorization header of another scheme as no credentials', async () => {
    const res = await app(get({ authorization: 'Basic dXNlcjpwYXNz' }))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
    expect((await res.json()).code).toBe('ERR_CREDENTIALS_MISSING')
  })

  it('accepts the scheme name in any case', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await app(get({ authorization: `bEARER  ${accessToken}` }))
    expect(res.status).toBe(200)
  })

  it('says an expired token expired, so the client knows to refresh', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    now += 16 * 60 * 1000
    const res = await app(bearer(accessToken))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token expired'))
    expect(await res.json()).toEqual(
      problem(401, 'Unauthorized', 'The access token expired', 'ERR_TOKEN_EXPIRED'),
    )
  })

  it('says an expired token expired after it was once accepted (cache hit)', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    expect((await app(bearer(accessToken))).status).toBe(200)
    now += 16 * 60 * 1000
    const res = await app(bearer(accessToken))
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token expired'))
  })

  it('never mentions expiry for a tampered token, even an expired one', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const [header, payload, signature] = accessToken.split('.') as [string, string, string]
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`
    const forged = `${header}.${payload}.${flipped}`
    for (const at of [START, START + 16 * 60 * 1000]) {
      now = at
      const res = await app(bearer(forged))
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token is invalid'))
      const body = await res.text()
      expect(JSON.parse(body)).toEqual(
        problem(401, 'Unauthorized', 'The access token is invalid', 'ERR_TOKEN_INVALID'),
      )
      expect(body).not.toMatch(/expir/i)
      expect(body).not.toContain(forged)
    }
  })

  it('refuses a token whose claims were changed without re-signing', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const [header, , signature] = accessToken.split('.') as [string, string, string]
    const claims = btoa(JSON.stringify({ sub: 'admin', exp: 9999999999 })).replace(/=+$/, '')
    const res = await app(bearer(`${header}.${claims.replace(/\+/g, '-').replace(/\//g, '_')}.${signature}`))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token is invalid'))
  })

  it('refuses a revoked token', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    await auth.revokeToken(accessToken)
    const res = await app(bearer(accessToken))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token has been revoked'))
    expect((await res.json()).code).toBe('ERR_TOKEN_REVOKED')
  })

  it('refuses a refresh token used as an access token', async () => {
    const { refreshToken } = await auth.createTokenPair('alice')
    const res = await app(bearer(refreshToken))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The token is not an access token'))
    expect((await res.json()).code).toBe('ERR_TOKEN_TYPE')
  })

  it('refuses garbage in the token position with 401 invalid_token', async () => {
    const res = await app(bearer('not-a-jwt'))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token is invalid'))
  })

  it('answers two Authorization values with 400 invalid_request', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const headers = new Headers()
    headers.append('authorization', `Bearer ${accessToken}`)
    headers.append('authorization', `Bearer ${accessToken}`)
    const res = await app(get(headers))
    expect(res.status).toBe(400)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="More than one Authorization credential was sent"',
    )
    expect(await res.json()).toEqual(
      problem(400, 'Bad Request', 'More than one Authorization credential was sent', 'ERR_INVALID_REQUEST'),
    )
  })

  it('answers an empty token with 400 invalid_request', async () => {
    const res = await app(get({ authorization: 'Bearer ' }))
    expect(res.status).toBe(400)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="The access token is empty"',
    )
    expect((await res.json()).detail).toBe('The access token is empty')
  })

  it('answers a token that is not a b64token with 400 invalid_request, a near-JWT one included', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const [header, payload, signature] = accessToken.split('.') as [string, string, string]
    for (const token of [
      'a b',
      'a"b',
      '=abc',
      `${header}.${payload}.${signature}%`,
      `${header}.${payload}!.${signature}`,
    ]) {
      const res = await app(get({ authorization: `Bearer ${token}` }))
      expect(res.status).toBe(400)
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer realm="api", error="invalid_request", error_description="The access token is malformed"',
      )
      expect((await res.json()).detail).toBe('The access token is malformed')
    }
  })

  it('answers a b64token that is no JWT with 401 invalid_token', async () => {
    for (const token of ['abc', 'a.b.c', 'a~b+c/d==']) {
      const res = await app(get({ authorization: `Bearer ${token}` }))
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token is invalid'))
    }
  })

  it('passes every argument after the request through to the handler', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const wrapped = withJwtAuth(
      (request: Request, context: { params: { id: string } }, extra: number) =>
        Response.json({ id: context.params.id, extra, subject: getAuth(request)?.subject }),
      { auth },
    )
    const res = await wrapped(bearer(accessToken), { params: { id: '7' } }, 3)
    expect(await res.json()).toEqual({ id: '7', extra: 3, subject: 'alice' })
  })

  it('hands the handler exactly as many arguments as it was called with, each as it was', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const seen: unknown[][] = []
    const wrapped = withJwtAuth(
      (_request: Request, ...rest: unknown[]) => {
        seen.push(rest)
        return new Response('ok')
      },
      { auth },
    )
    const server = { port: 1 }
    const list = [1, 2]
    await wrapped(bearer(accessToken))
    await wrapped(bearer(accessToken), server)
    await wrapped(bearer(accessToken), undefined)
    await wrapped(bearer(accessToken), list)
    await wrapped(bearer(accessToken), server, list, undefined)
    expect(seen).toEqual([[], [server], [undefined], [list], [server, list, undefined]])
    expect(seen[1]![0]).toBe(server)
    expect(seen[3]![0]).toBe(list)
  })
})

describe('withJwtAuth token sources', () => {
  const sources = withJwtAuth((request) => Response.json({ subject: getAuth(request)?.subject ?? null }), {
    auth,
    realm: 'api',
    tokenSources: { query: true, cookie: 'at' },
  })

  it('ignores query and cookie tokens unless enabled', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await app(get({ cookie: `at=${accessToken}` }, `/me?access_token=${accessToken}`))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
  })

  it('reads the access_token query parameter when enabled', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await sources(get({}, `/me?access_token=${accessToken}`))
    expect(await res.json()).toEqual({ subject: 'alice' })
  })

  it('reads the configured cookie when enabled', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await sources(get({ cookie: `theme=dark; at=${accessToken}` }))
    expect(await res.json()).toEqual({ subject: 'alice' })
  })

  it('answers a query or cookie token that is not a b64token with 400 invalid_request', async () => {
    for (const request of [get({}, '/me?access_token=a%22b'), get({ cookie: 'at=a"b' })]) {
      const res = await sources(request)
      expect(res.status).toBe(400)
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer realm="api", error="invalid_request", error_description="The access token is malformed"',
      )
    }
  })

  it('answers a token sent in two ways with 400 invalid_request', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await sources(get({ authorization: `Bearer ${accessToken}`, cookie: `at=${accessToken}` }))
    expect(res.status).toBe(400)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="The access token was sent in more than one way"',
    )
  })
})

describe('withJwtAuth answers at once where it can', () => {
  it('answers a cached token with the handler’s own response, not a promise', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const first = app(bearer(accessToken))
    expect(first).toBeInstanceOf(Promise)
    expect((await first).status).toBe(200)
    const second = app(bearer(accessToken))
    expect(second).toBeInstanceOf(Response)
    expect(await (second as Response).json()).toEqual({ subject: 'alice' })
  })

  it('answers a request without credentials at once, with the challenge', () => {
    const res = app(get())
    expect(res).toBeInstanceOf(Response)
    expect((res as Response).status).toBe(401)
    expect((res as Response).headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
  })

  it('still rejects, never throws, when the handler throws an error of its own', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const failing = withJwtAuth(
      () => {
        throw new TypeError('the handler failed')
      },
      { auth, realm: 'api' },
    )
    for (const round of ['verified', 'cached']) {
      let answer: Response | Promise<Response> | undefined
      expect(() => {
        answer = failing(bearer(accessToken))
      }, round).not.toThrow()
      expect(answer, round).toBeInstanceOf(Promise)
      await expect(answer, round).rejects.toThrow('the handler failed')
    }
  })

  it('refuses a cached token that expired since, with 401 invalid_token', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    expect((await app(bearer(accessToken))).status).toBe(200)
    now += 3_600_000
    const res = await app(bearer(accessToken))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(invalidToken('The access token expired'))
  })
})
