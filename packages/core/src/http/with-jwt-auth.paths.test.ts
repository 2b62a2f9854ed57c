import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { getAuth } from './auth-context.js'
import { withJwtAuth } from './with-jwt-auth.js'

// RFC 9449 §7.1: with DPoP allowed (the default), a request without credentials is offered both schemes.
const NO_CREDENTIALS = `Bearer realm="api", DPoP realm="api", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"`

const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'http-layer-paths-secret-0123456789abcdef',
  clock: () => Date.UTC(2026, 0, 1, 12),
})
const { accessToken } = await auth.createTokenPair('alice')

const app = withJwtAuth(
  (request) =>
    Response.json(
      { method: request.method, subject: getAuth(request, auth)?.subject ?? null },
      { status: 200 },
    ),
  { auth, realm: 'api', exemptPaths: ['/login', '/docs/*'], optionalPaths: ['/public/*'] },
)

async function send(path: string, headers: HeadersInit = {}, method = 'GET'): Promise<Response> {
  return app(new Request(`https://api.test${path}`, { method, headers }))
}

describe('withJwtAuth on exempt paths', () => {
  it('lets a request without a token through, with no identity', async () => {
    const res = await send('/login')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ method: 'GET', subject: null })
  })

  it('reads no token there, not even a malformed or invalid one', async () => {
    expect((await send('/docs/intro', { authorization: 'Bearer not-a-jwt' })).status).toBe(200)
    expect((await send('/docs/intro', { authorization: 'Bearer' })).status).toBe(200)
  })

  it('classifies every request by its own path when exempt, optional and protected ones alternate', async () => {
    for (let round = 0; round < 3; round++) {
      expect((await send('/login')).status).toBe(200)
      expect((await send('/admin')).status).toBe(401)
      expect((await send('/public/x')).status).toBe(200)
      expect((await send('/docs/a/../../admin')).status).toBe(401)
      expect((await send('/docs/intro')).status).toBe(200)
    }
  })

  it('is not fooled by a query string', async () => {
    const res = await send('/admin?/login')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
  })
})

describe('withJwtAuth on optional paths', () => {
  it('serves an anonymous request with no identity', async () => {
    const res = await send('/public/feed')
    expect(await res.json()).toEqual({ method: 'GET', subject: null })
  })

  it('exposes the identity of a valid token', async () => {
    const res = await send('/public/feed', { authorization: `Bearer ${accessToken}` })
    expect(await res.json()).toEqual({ method: 'GET', subject: 'alice' })
  })

  it('refuses an invalid token instead of serving the request anonymously', async () => {
    const res = await send('/public/feed', { authorization: 'Bearer not-a-jwt' })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"',
    )
  })
})

describe('withJwtAuth and ambiguous path spellings', () => {
  // These spellings survive URL parsing in `new Request`; the raw ones (`\`, `%2e%2e`) that a
  // parser resolves are covered by paths.test.ts.
  const spellings = [
    '/docs/..%2fadmin',
    '/docs/..%2Fadmin',
    '/docs%2f..%2fadmin',
    '/docs/..%5cadmin',
    '/docs/..%5Cadmin',
    '/docs//admin',
    '//docs/admin',
    '/docs/..;/admin',
    '/docs/%252e%252e/admin',
    '/public/..%2fadmin',
    '/public//admin',
    '/docs/../admin',
    '/docs/%2e%2e/admin',
    '/docs\\..\\admin',
  ]

  it.each(spellings)('never exempts %s: it needs a token', async (path) => {
    const res = await send(path)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
  })
})

describe('withJwtAuth and HEAD', () => {
  it('answers HEAD without credentials with the headers of the 401 and no body', async () => {
    const res = await send('/me', {}, 'HEAD')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.body).toBeNull()
    expect(await res.text()).toBe('')
  })

  it('passes an authenticated HEAD to the handler', async () => {
    const res = await send('/me', { authorization: `Bearer ${accessToken}` }, 'HEAD')
    expect(res.status).toBe(200)
  })
})

describe('withJwtAuth and CORS preflight', () => {
  const preflight = { origin: 'https://app.test', 'access-control-request-method': 'DELETE' }

  it('needs a token for a preflight by default', async () => {
    const res = await send('/me', preflight, 'OPTIONS')
    expect(res.status).toBe(401)
  })

  it('passes a preflight through when corsPreflight is on', async () => {
    const cors = withJwtAuth(() => new Response(null, { status: 204 }), { auth, corsPreflight: true })
    const res = await cors(new Request('https://api.test/me', { method: 'OPTIONS', headers: preflight }))
    expect(res.status).toBe(204)
  })

  it('still needs a token for a plain OPTIONS when corsPreflight is on', async () => {
    const cors = withJwtAuth(() => new Response(null, { status: 204 }), { auth, corsPreflight: true })
    const res = await cors(new Request('https://api.test/me', { method: 'OPTIONS' }))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer, DPoP algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
    )
  })
})
