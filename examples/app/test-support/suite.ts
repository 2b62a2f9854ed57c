import { randomBytes } from 'node:crypto'
import { createJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RawResponse, rawRequest } from '../../../packages/adapters/src/test-support/raw-http.js'
import { type RuntimeName, type Started, start } from './runtimes.js'

const secret = randomBytes(48).toString('base64url')
const env = { COVET_SECRET: secret, NEXT_TELEMETRY_DISABLED: '1' }
// The test signs with the app's secret, issuer and audience, as an authorisation server would.
const settings = {
  algorithm: 'HS256',
  keys: secret,
  issuer: 'https://covet.example',
  audience: 'covet-example-api',
} as const
const issuer = await createJwtAuth(settings)
// Tokens issued two hours ago: long expired by now.
const pastIssuer = await createJwtAuth({ ...settings, clock: () => Date.now() - 2 * 3600_000 })

const REALM = 'Bearer realm="covet-example"'
const invalidToken = (description: string) =>
  `${REALM}, error="invalid_token", error_description="${description}"`
const problem = (status: number, title: string, detail: string, code: string) => ({
  type: 'about:blank',
  title,
  status,
  detail,
  code,
})
const MISSING = problem(401, 'Unauthorized', 'Authentication is required', 'ERR_CREDENTIALS_MISSING')

/** Replace the payload's `sub`, keeping the original signature. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
  return [
    header,
    Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url'),
    signature,
  ].join('.')
}

/** Where a runtime's own server answers before any Covet code runs (each documented by a test). */
export interface Quirks {
  /** The server redirects paths with `//` to their normalised form (Next.js: 308). */
  redirectsRepeatedSlashes?: boolean
  /**
   * The server resolves dot segments in the request target before any handler (WHATWG URL), so
   * `/docs//../me` reaches the app, auth check and router alike, as `/docs/me` (Bun).
   */
  resolvesDotSegments?: boolean
}

/** What runtime-specific tests get: the running server and raw request helpers. */
export interface SuiteContext {
  get(path: string, ...headers: string[]): Promise<RawResponse>
  send(method: string, path: string, ...headers: string[]): Promise<RawResponse>
  bearer(token: string): string
  issuer: typeof issuer
}

/**
 * The whole contract, asserted over HTTP against `name` running the shared app as a real child
 * process. Requests go over a raw socket so that nothing normalises paths or merges headers.
 * `extra` adds runtime-specific tests against the same process.
 */
export function runtimeSuite(
  name: RuntimeName,
  quirks: Quirks = {},
  extra?: (context: SuiteContext) => void,
): void {
  describe(`the shared app on ${name}`, () => {
    let server: Started
    const get = (path: string, ...headers: string[]): Promise<RawResponse> => send('GET', path, ...headers)
    const send = (method: string, path: string, ...headers: string[]): Promise<RawResponse> =>
      rawRequest(server.port, [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers].join('\r\n'))
    const bearer = (token: string) => `Authorization: Bearer ${token}`
    const expectProblem = (
      response: RawResponse,
      status: number,
      challenge: string | undefined,
      body: object,
    ) => {
      expect({ status: response.status, challenge: response.header('www-authenticate') }).toEqual({
        status,
        challenge,
      })
      expect(response.header('content-type')).toBe('application/problem+json')
      expect(JSON.parse(response.body)).toEqual(body)
    }

    beforeAll(async () => {
      server = await start(name, env)
    })
    afterAll(async () => {
      await server?.stop()
    })

    it('answers a valid access token with the identity', async () => {
      const token = await issuer.createToken('alice', { roles: ['admin'], scope: 'read write' })
      const response = await get('/me', bearer(token))
      expect(response.status).toBe(200)
      expect(JSON.parse(response.body)).toEqual({
        subject: 'alice',
        roles: ['admin'],
        scopes: ['read', 'write'],
      })
    })

    it('answers no credentials with a bare challenge and no error code (RFC 6750 §3.1)', async () => {
      expectProblem(await get('/me'), 401, REALM, MISSING)
    })

    it('treats another scheme as no credentials', async () => {
      expectProblem(await get('/me', 'Authorization: Basic YWxpY2U6c2VjcmV0'), 401, REALM, MISSING)
    })

    it('tells an expired token apart so that the client knows to refresh', async () => {
      const token = await pastIssuer.createToken('alice')
      expectProblem(
        await get('/me', bearer(token)),
        401,
        invalidToken('The access token expired'),
        problem(401, 'Unauthorized', 'The access token expired', 'ERR_TOKEN_EXPIRED'),
      )
    })

    it('refuses a token whose payload was altered', async () => {
      const token = tamper(await issuer.createToken('alice'))
      expectProblem(
        await get('/me', bearer(token)),
        401,
        invalidToken('The access token is invalid'),
        problem(401, 'Unauthorized', 'The access token is invalid', 'ERR_TOKEN_INVALID'),
      )
    })

    it('refuses a token after it was revoked through POST /logout', async () => {
      const token = await issuer.createToken('alice')
      expect((await get('/me', bearer(token))).status).toBe(200)
      expect((await send('POST', '/logout', bearer(token), 'Content-Length: 0')).status).toBe(204)
      expectProblem(
        await get('/me', bearer(token)),
        401,
        invalidToken('The access token has been revoked'),
        problem(401, 'Unauthorized', 'The access token has been revoked', 'ERR_TOKEN_REVOKED'),
      )
    })

    it('refuses a refresh token presented as an access token', async () => {
      const { refreshToken } = await issuer.createTokenPair('alice')
      expectProblem(
        await get('/me', bearer(refreshToken)),
        401,
        invalidToken('The token is not an access token'),
        problem(401, 'Unauthorized', 'The token is not an access token', 'ERR_TOKEN_TYPE'),
      )
    })

    it('answers two Authorization headers with 400 invalid_request', async () => {
      const token = await issuer.createToken('alice')
      expectProblem(
        await get('/me', bearer(token), bearer(token)),
        400,
        `${REALM}, error="invalid_request", error_description="More than one Authorization credential was sent"`,
        problem(400, 'Bad Request', 'More than one Authorization credential was sent', 'ERR_INVALID_REQUEST'),
      )
    })

    it('serves exempt paths without reading any token', async () => {
      const health = await get('/health', 'Authorization: Bearer not-even-a-jwt')
      expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: 'ok' })
      const docs = await get('/docs/intro')
      expect({ status: docs.status, body: JSON.parse(docs.body) }).toEqual({
        status: 200,
        body: { page: 'intro' },
      })
    })

    it('serves an optional path anonymously without a token and personally with one', async () => {
      expect(JSON.parse((await get('/feed')).body)).toEqual({ feed: 'public' })
      const token = await issuer.createToken('bob')
      expect(JSON.parse((await get('/feed', bearer(token))).body)).toEqual({ feed: 'for bob' })
    })

    it('still refuses an invalid token on an optional path', async () => {
      const token = tamper(await issuer.createToken('bob'))
      expectProblem(
        await get('/feed', bearer(token)),
        401,
        invalidToken('The access token is invalid'),
        problem(401, 'Unauthorized', 'The access token is invalid', 'ERR_TOKEN_INVALID'),
      )
    })

    it.each([
      '/docs/../me',
      '/./me',
      '/docs/./../me',
      '/docs/%2e%2e/me',
      '/docs/%2E%2E/me',
      '/docs/..%2fme',
      '/docs%2f..%2fme',
      '/docs/..%5cme',
      '/docs/%252e%252e/me',
      '/health/../me',
      '/health%2f..%2fme',
      ...(quirks.redirectsRepeatedSlashes ? [] : ['//docs/../me']),
      ...(quirks.redirectsRepeatedSlashes || quirks.resolvesDotSegments ? [] : ['/docs//../me']),
    ])('never treats %s as exempt', async (path) => {
      expectProblem(await get(path), 401, REALM, MISSING)
    })

    if (quirks.redirectsRepeatedSlashes)
      it('redirects // paths to their normalised form before any handler', async () => {
        for (const [path, location] of [
          ['//docs/../me', '/me'],
          ['/docs//../me', '/me'],
          ['//health', '/health'],
        ]) {
          const response = await get(path as string)
          expect({ path, status: response.status, location: response.header('location') }).toEqual({
            path,
            status: 308,
            location,
          })
        }
      })

    it('answers HEAD with the headers of GET and no body', async () => {
      const refused = await send('HEAD', '/me')
      expect({
        status: refused.status,
        challenge: refused.header('www-authenticate'),
        body: refused.body,
      }).toEqual({
        status: 401,
        challenge: REALM,
        body: '',
      })
      const token = await issuer.createToken('alice')
      const allowed = await send('HEAD', '/me', bearer(token))
      expect({ status: allowed.status, body: allowed.body }).toEqual({ status: 200, body: '' })
    })

    extra?.({ get, send, bearer, issuer })
  })
}
