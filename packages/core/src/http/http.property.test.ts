import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { InvalidRequestError } from '../errors.js'
import { extractBearerToken } from './bearer.js'
import { classifyPath, compilePaths, normalisedPathname } from './paths.js'
import { requestPathname } from './request-target.js'
import { withJwtAuth } from './with-jwt-auth.js'

// Printable ASCII and tab: every value a Headers object accepts from a client, roughly.
const headerValue = fc.stringMatching(/^[\t\x20-\x7e]{0,80}$/)
const pathPiece = fc.constantFrom(
  'docs',
  'public',
  'admin',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%5c',
  '\\',
  '',
  ';',
  '%25',
  'a',
)
const rawPath = fc.array(pathPiece, { maxLength: 6 }).map((pieces) => `/${pieces.join('/')}`)

// Pieces of a hostile request URL: the authority and the path a runtime builds `request.url` from.
const urlPiece = fc.constantFrom(
  'docs',
  'admin',
  'x',
  '.',
  '..',
  '%2e',
  '%2e%2e',
  '%2f',
  '%5c',
  '\\',
  '/',
  '?',
  '#',
  '@',
  ':',
  ':80',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '\u007f',
  'é',
  '%09',
  '[',
  ']',
  '::1',
  ';',
)
const hostileUrl = fc
  .tuple(fc.array(urlPiece, { maxLength: 5 }), fc.array(urlPiece, { maxLength: 8 }))
  .map(([authority, path]) => `http://${authority.join('')}/${path.join('')}`)

describe('properties of the HTTP layer', () => {
  it('withJwtAuth lets a request without a token reach the handler only when the router sees an exempt path', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'http-layer-property-secret-0123456789abcdef',
    })
    const exempt = compilePaths('exemptPaths', ['/docs/*', '/health'])
    const none = compilePaths('optionalPaths', [])
    let seen: string | undefined
    const app = withJwtAuth(
      (request: Request) => {
        seen = request.url
        return new Response('reached')
      },
      { auth, exemptPaths: ['/docs/*', '/health'] },
    )
    await fc.assert(
      fc.asyncProperty(hostileUrl, fc.option(hostileUrl.map((u) => u.slice(7, 20))), async (url, host) => {
        seen = undefined
        // As Node and Deno build it: the raw string, unchecked.
        const request = { url, method: 'GET', headers: new Headers() } as unknown as Request
        if (host !== null)
          Object.defineProperty(request, 'headers', { value: { get: () => host, has: () => true } })
        const response = await app(request)
        if (seen === undefined) {
          expect([400, 401]).toContain(response.status)
          return
        }
        // What any router reads: it must be exempt, or the request was let through without a token.
        const routed = new URL(seen).pathname
        expect(classifyPath(routed, exempt, none)).toBe('exempt')
      }),
      { numRuns: 3000 },
    )
  })

  it('extracting a token either finds a b64token, finds none, or throws InvalidRequestError', () => {
    fc.assert(
      fc.property(headerValue, (value) => {
        const request = new Request('https://api.test/', { headers: { authorization: value } })
        try {
          const found = extractBearerToken(request)
          if (found !== undefined) expect(found.token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidRequestError)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('a path that is exempt or optional has no dot segment, empty segment, backslash or encoded separator', () => {
    const exempt = compilePaths('exemptPaths', ['/docs/*'])
    const optional = compilePaths('optionalPaths', ['/public/*'])
    fc.assert(
      fc.property(rawPath, (path) => {
        const pathname = requestPathname(`https://api.test${path}`, 'api.test')
        if (pathname === undefined || classifyPath(pathname, exempt, optional) === 'protected') return
        const decoded = normalisedPathname(pathname)!
        expect(decoded.split('/').slice(1, -1)).not.toContain('')
        expect(decoded).not.toMatch(/(^|\/)\.\.?(;[^/]*)?(\/|$)|\\|%2f|%5c/i)
        expect(path).not.toMatch(/%2f|%5c|\\/i)
      }),
      { numRuns: 1000 },
    )
  })

  it('withJwtAuth answers any forged Authorization value with 400 or 401 and a problem body, never a 500', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'http-layer-property-secret-0123456789abcdef',
      clock: () => Date.UTC(2026, 0, 1, 12),
    })
    const app = withJwtAuth(() => new Response('ok'), { auth, realm: 'api' })
    await fc.assert(
      fc.asyncProperty(headerValue, async (value) => {
        const res = await app(new Request('https://api.test/me', { headers: { authorization: value } }))
        expect([400, 401]).toContain(res.status)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="api"/)
      }),
      { numRuns: 300 },
    )
  })
})
