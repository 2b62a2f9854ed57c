import { randomBytes } from 'node:crypto'
import { createJwtAuth } from '@covet/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RawResponse, rawRequest } from '../../../packages/adapters/src/test-support/raw-http.js'
import { generatedHostileRequest, hostileRequests } from './hostile-requests.js'
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
// RFC 9449 §7.1: with DPoP allowed (the default), a request without credentials is offered both schemes.
const NO_CREDENTIALS = `${REALM}, DPoP realm="covet-example", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"`
/** What a leaked stack or a runtime's error page looks like. */
const STACK = /\bat .+[(:]\d|node_modules|\.[cm]?[jt]s:\d|<html|<!doctype/i
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
const MALFORMED = problem(
  400,
  'Bad Request',
  'The request URL or Host header is malformed',
  'ERR_REQUEST_MALFORMED',
)

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
  /**
   * The server's own parser answers a request line with a control character or space with this
   * status before any handler runs (Bun: 505), and percent-encodes a DEL in the target instead.
   */
  brokenRequestLineStatus?: number
  /** The handler cannot tell an HTTP/1.1 request without `Host` from one with it (Deno). */
  hidesMissingHost?: boolean
  /** The app is handed to the runtime with no Covet adapter: its error pages are the runtime's. */
  noAdapter?: boolean
  /** Even what the server's own parser refuses is answered with a problem, never a bare status (Node's `serve`). */
  problemsOnly?: boolean
  /**
   * The server closes a CONNECT's connection without an answer, before any handler: every one
   * (`next start`), or one without a target (Bun's parser).
   */
  closesConnect?: 'always' | 'without a target'
  /** The server closes the connection of a method spelt in lower case without an answer (Bun). */
  closesLowerCaseMethods?: boolean
  /**
   * The server leaves an `Upgrade` request to a path no route serves open, for a WebSocket server
   * of the app's own, until the client leaves (`next start`).
   */
  leavesUpgradesOpen?: boolean
}

/** What a server that closes without a word gives `rawRequest`: no response at all. */
const NO_ANSWER = 'incomplete response: ""'

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
      expectProblem(await get('/me'), 401, NO_CREDENTIALS, MISSING)
    })

    it('treats another scheme as no credentials', async () => {
      expectProblem(await get('/me', 'Authorization: Basic YWxpY2U6c2VjcmV0'), 401, NO_CREDENTIALS, MISSING)
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

    // [path, whether WHATWG URL parsing reads it as another path (dot segments)]. Where the raw
    // target reaches Covet, such a path is refused (400); elsewhere the runtime resolved it first.
    it.each([
      ['/docs/../me', true],
      ['/./me', true],
      ['/docs/./../me', true],
      ['/docs/%2e%2e/me', true],
      ['/docs/%2E%2E/me', true],
      ['/docs/..%2fme', false],
      ['/docs%2f..%2fme', false],
      ['/docs/..%5cme', false],
      ['/docs/%252e%252e/me', false],
      ['/health/../me', true],
      ['/health%2f..%2fme', false],
      ...(quirks.redirectsRepeatedSlashes ? [] : [['//docs/../me', true] as const]),
      ...(quirks.redirectsRepeatedSlashes || quirks.resolvesDotSegments
        ? []
        : [['/docs//../me', true] as const]),
    ] as const)('never treats %s as exempt', async (path, readAsAnotherPath) => {
      const response = await get(path)
      if (readAsAnotherPath && !quirks.resolvesDotSegments) expectProblem(response, 400, undefined, MALFORMED)
      else expectProblem(response, 401, NO_CREDENTIALS, MISSING)
    })

    if (quirks.redirectsRepeatedSlashes)
      it('redirects // paths to their normalised form before any handler', async () => {
        for (const [path, location] of [
          ['//docs/me', '/docs/me'],
          ['/docs//x', '/docs/x'],
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

    it('refuses a CONNECT with a valid token before any handler, with the 400 problem (RFC 9112 §3.2.3)', async () => {
      const token = await issuer.createToken('alice', { roles: ['admin'] })
      for (const target of ['127.0.0.1:443', '127.0.0.1']) {
        const head = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, bearer(token)].join('\r\n')
        if (quirks.closesConnect === 'always') {
          await expect(rawRequest(server.port, head)).rejects.toThrow(NO_ANSWER)
          continue
        }
        const response = await rawRequest(server.port, head)
        expect({ target, status: response.status, body: JSON.parse(response.body) }).toEqual({
          target,
          status: 400,
          body: MALFORMED,
        })
      }
    })

    it('refuses a body whose final transfer coding is not chunked before any handler, with 400 (RFC 9112 §6.3)', async () => {
      for (const codings of ['gzip', 'identity']) {
        const response = await rawRequest(
          server.port,
          ['POST /health HTTP/1.1', 'Host: 127.0.0.1', `Transfer-Encoding: ${codings}`].join('\r\n'),
        )
        expect({ codings, status: response.status }).toEqual({ codings, status: 400 })
        if (quirks.problemsOnly) expect(response.header('content-type')).toBe('application/problem+json')
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
        challenge: NO_CREDENTIALS,
        body: '',
      })
      const token = await issuer.createToken('alice')
      const allowed = await send('HEAD', '/me', bearer(token))
      expect({ status: allowed.status, body: allowed.body }).toEqual({ status: 200, body: '' })
    })

    it('lets no hostile Host or request target reach a protected handler, and answers none with a 5xx or a stack', async () => {
      const failures: string[] = []
      for (const attack of hostileRequests()) {
        if (quirks.closesConnect === 'always' && attack.head.startsWith('CONNECT ')) {
          await expect(rawRequest(server.port, attack.head)).rejects.toThrow(NO_ANSWER)
          continue
        }
        const response = await rawRequest(server.port, attack.head)
        const found: string[] = []
        // The /admin handlers check nothing themselves: reaching one without a token is a bypass.
        if (response.body.includes('{"admin":')) found.push('reached /admin')
        if (STACK.test(response.body)) found.push('a stack or error page in the body')
        const expected = attack.brokenRequestLine ? (quirks.brokenRequestLineStatus ?? 400) : 400
        const refuses = attack.mustRefuse && !(attack.hostMissing && quirks.hidesMissingHost)
        if (attack.brokenRequestLine && quirks.brokenRequestLineStatus !== undefined) {
          // The runtime answers before Covet (or, for a DEL, encodes it and passes a clean path on).
          if (![expected, 200, 401].includes(response.status)) found.push(`status ${response.status}`)
        } else if (response.status >= 500) found.push(`status ${response.status}`)
        else if (refuses && response.status !== expected)
          found.push(`status ${response.status}, not ${expected}`)
        if (
          quirks.problemsOnly &&
          response.status >= 400 &&
          !response.header('content-type')?.startsWith('application/problem+json')
        )
          found.push(`a bare ${response.status}`)
        if (response.status === 400 && response.header('content-type') === 'application/problem+json') {
          expect(JSON.parse(response.body).code).toBe('ERR_REQUEST_MALFORMED')
        }
        if (found.length > 0) failures.push(`${attack.label}: ${found.join(', ')}`)
      }
      expect(failures).toEqual([])
    })

    it('lets no generated hostile request reach a protected handler, and answers each without a 5xx or a stack', async () => {
      await fc.assert(
        fc.asyncProperty(generatedHostileRequest, async ({ method, head }) => {
          if (quirks.leavesUpgradesOpen && /\r\nUpgrade:/i.test(head)) return
          let response: RawResponse
          try {
            response = await rawRequest(server.port, head)
          } catch (error) {
            // Closed unanswered before any handler: only where the runtime is known to.
            const closes =
              (quirks.closesConnect === 'always' && method === 'CONNECT') ||
              (quirks.closesConnect === 'without a target' && head.startsWith('CONNECT  ')) ||
              (quirks.closesLowerCaseMethods && method !== method.toUpperCase())
            if (closes && String(error).includes(NO_ANSWER)) return
            throw error
          }
          expect(response.body).not.toContain('{"admin":')
          expect(response.body).not.toMatch(STACK)
          // RFC 9110 §15.6.2, §15.6.6: 501 (TRACE on Next.js) and 505 answer the method or the
          // version; they are not failures of the server.
          if (response.status !== 501 && response.status !== 505) expect(response.status).toBeLessThan(500)
        }),
        { numRuns: 300, seed: 20261206 },
      )
    })

    if (!quirks.noAdapter)
      it('answers an error the handler lets escape with a bare 500 problem, and keeps serving', async () => {
        const token = await issuer.createToken('alice')
        const response = await get('/boom', bearer(token))
        expect({
          status: response.status,
          type: response.header('content-type'),
          body: response.body.startsWith('{') ? JSON.parse(response.body) : response.body,
        }).toEqual({
          status: 500,
          type: 'application/problem+json',
          body: { type: 'about:blank', title: 'Internal Server Error', status: 500 },
        })
        expect((await get('/health')).status).toBe(200)
      })

    extra?.({ get, send, bearer, issuer })
  })
}
