import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { isValidHost, requestPathname } from './request-target.js'
import { withJwtAuth } from './with-jwt-auth.js'

describe('isValidHost', () => {
  it('accepts a host[:port] as clients send it (RFC 9112 §3.2)', () => {
    for (const host of [
      'api.test',
      'API.test',
      'localhost:3000',
      '127.0.0.1',
      '[::1]',
      '[::1]:8080',
      'a_b.test:65535',
    ])
      expect([host, isValidHost(host)]).toEqual([host, true])
  })

  it('refuses anything else: paths, controls, userinfo, bad ports, percent-encoding', () => {
    const hosts = [
      '',
      'x/docs/.\t.',
      'a\\admin',
      'a b',
      'a\tb',
      '[::1',
      '::1',
      'a:99999',
      'a:-1',
      'a:',
      'a@b',
      'x?/docs',
      'x#/docs',
      'a%2fadmin',
      'bücher.example',
      'x, y',
      'x\u0000',
    ]
    for (const host of hosts) expect([host, isValidHost(host)]).toEqual([host, false])
  })
})

describe('requestPathname', () => {
  it('is the WHATWG pathname when the raw URL can only be read one way', () => {
    expect(requestPathname('http://x/docs/a?q=/admin#/b', 'x')).toBe('/docs/a')
    expect(requestPathname('http://x:80/docs/caf%C3%A9', 'x:80')).toBe('/docs/caf%C3%A9')
    expect(requestPathname('https://[::1]:8443/docs/..%2fadmin', null)).toBe('/docs/..%2fadmin')
    expect(requestPathname('http://x/search?path=C:\\docs', 'x')).toBe('/search')
  })

  it('refuses a raw URL that WHATWG parsing reads as another path', () => {
    const urls = [
      'http://x/docs/.\t./admin',
      'http://x/docs/.\n./admin',
      'http://a\\admin/docs/x',
      'http://x/docs\\..\\admin',
      'http://x/docs/../admin',
      'http://x/docs/%2e%2e/admin',
      'http://x/docs/.%2E/admin',
      'http://x/./admin',
      'http://x/docs/é',
      'http://x/docs/a b',
      'http://x@admin/docs/a',
      'http://x%2fadmin/docs/a',
      'http://x:99999/docs/a',
      'http://[::1/docs/a',
      'file:///etc/passwd',
      '/docs/a',
      'http://x/docs/\u007f',
    ]
    for (const url of urls) expect([url, requestPathname(url, null)]).toEqual([url, undefined])
  })

  it('refuses a URL without a path: the authority-form of CONNECT, as Deno builds its URL (RFC 9112 §3.2.3)', () => {
    for (const url of [
      'http://x',
      'http://example.com:443',
      'https://[::1]:8443',
      'http://x?q=/admin',
      'http://x#/admin',
    ])
      expect([url, requestPathname(url, null)]).toEqual([url, undefined])
    expect(requestPathname('http://x/', 'x')).toBe('/')
  })

  it('refuses an invalid Host header even when the URL is clean', () => {
    expect(requestPathname('http://x/docs/a', 'x/docs/.\t.')).toBeUndefined()
    expect(requestPathname('http://x/docs/a', 'x, x')).toBeUndefined()
  })
})

const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'request-target-secret-0123456789abcdef' })

describe('withJwtAuth and the raw request URL', () => {
  const reached: string[] = []
  const app = withJwtAuth(
    (request: Request) => {
      reached.push(new URL(request.url).pathname)
      return new Response('reached')
    },
    { auth, realm: 'api', exemptPaths: ['/health', '/docs/*'] },
  )
  // Deno and Node build request.url from the raw Host and target, unchecked: so does this request.
  const raw = (url: string, host: string | null = 'x'): Request =>
    ({
      url,
      method: 'GET',
      headers: new Headers(host === null ? {} : { host }),
    }) as unknown as Request

  it('refuses, before any handler, every URL that a router would read as a protected path', async () => {
    const attacks: [string, string | null][] = [
      ['http://x/docs/.\t./admin/secrets', 'x/docs/.\t.'],
      ['http://h/oauth/.\t./me', 'h/oauth/.\t.'],
      ['http://a\\admin/docs/x', 'a\\admin'],
      ['http://x\\admin/docs/a', 'x'],
      ['http://x:80/docs/.\t./admin', 'x:80/docs/.\t.'],
      ['http://a b/health', 'a b'],
      ['http://[::1/health', '[::1'],
      ['http://a:99999/health', 'a:99999'],
      ['http://x/docs/x', 'x, x/docs/'],
      // Deno's URL for `CONNECT x:443`: the authority-form target, no path (RFC 9112 §3.2.3).
      ['http://x:443', 'x:443'],
    ]
    for (const [url, host] of attacks) {
      const response = await app(raw(url, host))
      expect({
        url,
        status: response.status,
        challenge: response.headers.get('www-authenticate'),
        type: response.headers.get('content-type'),
        body: await response.json(),
      }).toEqual({
        url,
        status: 400,
        challenge: null,
        type: 'application/problem+json',
        body: {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'The request URL or Host header is malformed',
          code: 'ERR_REQUEST_MALFORMED',
        },
      })
    }
    expect(reached).toEqual([])
  })

  it('still serves exempt paths and challenges protected ones when the URL is clean', async () => {
    expect((await app(raw('http://x/docs/a'))).status).toBe(200)
    const refused = await app(raw('http://x/admin'))
    expect({ status: refused.status, challenge: refused.headers.get('www-authenticate') }).toEqual({
      status: 401,
      // RFC 9449 §7.1: with DPoP allowed (the default), both schemes are offered.
      challenge:
        'Bearer realm="api", DPoP realm="api", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
    })
    expect(reached).toEqual(['/docs/a'])
  })
})
