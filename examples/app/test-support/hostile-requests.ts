/**
 * Request heads an attacker writes by hand to make the auth check and the router disagree about
 * the path: hostile `Host` values and request targets, in origin and absolute form. Every one is
 * sent without a token; the app's `/admin` handlers check nothing themselves, so reaching one is a
 * bypass. Kept as data so that one suite can send them to every runtime.
 */

import fc from 'fast-check'

/** One hand-written request: its request line and header lines, exactly as sent. */
export interface HostileRequest {
  /** A printable label for failure messages (control characters escaped). */
  readonly label: string
  readonly head: string
  /** Whether RFC 9112 §3.2 makes a server refuse it with 400 (bad or repeated Host, bad target). */
  readonly mustRefuse: boolean
  /** Whether the request line itself is broken (a control character or space in the target). */
  readonly brokenRequestLine?: boolean
  /** Whether the request is HTTP/1.1 without any `Host` (RFC 9112 §3.2: 400). */
  readonly hostMissing?: boolean
}

/** Hosts that try to smuggle a path, or that are simply not a `host[:port]` (RFC 9112 §3.2). */
export const HOSTILE_HOSTS: readonly string[] = [
  'x/docs/.\t.',
  'x:80/docs/.\t.',
  'h/health/.\t.',
  'x/docs/..',
  'x/docs/%2e%2e',
  'x/docs/.%09.',
  'x/docs/.\v.',
  'a\\admin',
  'a\\admin\\docs',
  'x/docs\\..\\',
  'a b',
  'a\tb',
  '[::1',
  '::1',
  'a:99999',
  'a:-1',
  'a:8o',
  'a:',
  '',
  'a@b',
  'admin@x',
  'x?/docs/',
  'x#/docs/',
  'x/docs/#',
  'a%2fadmin',
  'a%00b',
  'bücher.example',
  'x/docs/é/../..',
  'x\u0000',
  'x\u007f',
]

/** Hosts that are valid: the same targets must still be refused without a token through them. */
export const VALID_HOSTS: readonly string[] = ['127.0.0.1', 'localhost:3000', '[::1]:8080', 'covet.example']

/** Targets aimed at `/admin` that an exempt-path check written by hand could read as `/docs/*`. */
export const HOSTILE_TARGETS: readonly string[] = [
  '/admin',
  '/admin/secrets',
  '/docs/../admin',
  '/docs/..%2fadmin',
  '/docs/%2e%2e/admin',
  '/docs/%252e%252e/admin',
  '/docs/.%09./admin',
  '/docs\\..\\admin',
  '/docs/..\\admin',
  '/docs/..;/admin',
  '/health/../admin',
  '/health%2f..%2fadmin',
  '/docs//../admin',
  '/docs/./../admin',
  '/docs/é/../../admin',
  '/docs/%C3%A9/../../admin',
  '/docs?/../admin',
  '/docs/@/../../admin',
  '/./admin',
  'http://x\\admin/docs/a',
  'http://x/docs/../admin',
  'http://x/docs/..\\admin',
  'http://x@admin/docs/a',
  'http://x:80\\admin/docs/a',
  'http://x%2fadmin/docs/a',
  'http://127.0.0.1/admin',
  'HTTP://X/docs/%2e%2e/admin',
  '//x/admin',
  '*',
]

// JSON escapes every control character but DEL.
const printable = (text: string): string => JSON.stringify(text).slice(1, -1).replaceAll('\u007f', '\\x7f')

/** Every hostile host with the plain targets, and every hostile target through valid hosts. */
export function hostileRequests(): HostileRequest[] {
  const requests: HostileRequest[] = []
  for (const host of HOSTILE_HOSTS) {
    for (const target of ['/admin', '/docs/x', '/health', '/me']) {
      requests.push({
        label: `GET ${target} Host: ${printable(host)}`,
        head: `GET ${target} HTTP/1.1\r\nHost: ${host}`,
        mustRefuse: true,
      })
    }
    requests.push({
      label: `GET /admin HTTP/1.0 Host: ${printable(host)}`,
      head: `GET /admin HTTP/1.0\r\nHost: ${host}`,
      mustRefuse: true,
    })
  }
  for (const host of VALID_HOSTS) {
    for (const target of HOSTILE_TARGETS) {
      requests.push({
        label: `GET ${printable(target)} Host: ${host}`,
        head: `GET ${target} HTTP/1.1\r\nHost: ${host}`,
        mustRefuse: false,
      })
    }
  }
  requests.push(
    { label: 'two Host headers', head: 'GET /admin HTTP/1.1\r\nHost: x\r\nHost: x/docs/', mustRefuse: true },
    { label: 'two equal Host headers', head: 'GET /docs/x HTTP/1.1\r\nHost: x\r\nHost: x', mustRefuse: true },
    { label: 'no Host header (HTTP/1.1)', hostMissing: true, head: 'GET /admin HTTP/1.1', mustRefuse: true },
    // RFC 9112 §3.2.3: CONNECT's authority-form names no resource of an origin server.
    { label: 'CONNECT x:443', head: 'CONNECT x:443 HTTP/1.1\r\nHost: x:443', mustRefuse: true },
    {
      label: 'CONNECT to the admin host',
      head: 'CONNECT admin:80 HTTP/1.1\r\nHost: admin:80',
      mustRefuse: true,
    },
    // RFC 9112 §3.2.4: the asterisk-form names the server, no path: never reaches /admin.
    { label: 'OPTIONS *', head: 'OPTIONS * HTTP/1.1\r\nHost: x', mustRefuse: false },
    {
      label: 'tab in the target',
      brokenRequestLine: true,
      head: 'GET /docs/.\t./admin HTTP/1.1\r\nHost: x',
      mustRefuse: true,
    },
    {
      label: 'space in the target',
      brokenRequestLine: true,
      head: 'GET /docs/. ./admin HTTP/1.1\r\nHost: x',
      mustRefuse: true,
    },
    {
      label: 'NUL in the target',
      brokenRequestLine: true,
      head: 'GET /docs/\u0000/../admin HTTP/1.1\r\nHost: x',
      mustRefuse: true,
    },
    {
      label: 'DEL in the target',
      brokenRequestLine: true,
      head: 'GET /docs/\u007f/../admin HTTP/1.1\r\nHost: x',
      mustRefuse: true,
    },
    {
      label: 'bare LF in the target',
      brokenRequestLine: true,
      head: 'GET /docs/.\n./admin HTTP/1.1\r\nHost: x',
      mustRefuse: true,
    },
  )
  return requests
}

/** Pieces of request targets and `Host` values that parsers, normalisers and path checks read differently. */
const PIECES = [
  '/',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%5c',
  '%252e',
  '\\',
  '?',
  '#',
  '@',
  ':',
  ';',
  '..;',
  '%00',
  '%',
  'admin',
  'health',
  'docs',
  'me',
  '*',
  '\t',
  ' ',
  '\u0000',
  '\u000b',
  '\u007f',
  'é',
  '%C3%A9',
  '//',
  '&',
  '=',
  '+',
  '~',
  '"',
  '<',
  '{',
  '|',
  '^',
  '`',
  '[',
  ']',
  'http://',
  'x',
]

/** A method a client may send: the usual ones, extension ones, lower case, and broken ones. */
const method = fc.constantFrom(
  'GET',
  'GET',
  'GET',
  'POST',
  'HEAD',
  'OPTIONS',
  'DELETE',
  'PUT',
  'PATCH',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'QUERY',
  'get',
  'G\tET',
  'GÉT',
)
const target = fc
  .tuple(
    fc.constantFrom('/', '/', '/', '/admin', '/docs/', '/health/', '', 'http://x/', 'http://x@', '*', '//'),
    fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }),
  )
  .map(([start, rest]) => start + rest.join(''))
const host = fc
  .tuple(
    fc.constantFrom('127.0.0.1', 'x', 'localhost:3000', '[::1]', ''),
    fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }),
  )
  .map(([name, rest]) => name + rest.join(''))
const version = fc.constantFrom(
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/2.0',
  'HTTP/0.9',
  'http/1.1',
  'HTTP/1.1 ',
  '',
)
const extra = fc.constantFrom(
  [],
  [],
  ['Authorization: Bearer'],
  ['Authorization: Bearer a.b.c'],
  ['Authorization: Bearer a.b.c, Bearer d.e.f'],
  ['Authorization: DPoP a.b.c'],
  ['Authorization: Basic YWRtaW46YWRtaW4='],
  ['X-Forwarded-Host: admin'],
  ['X-Original-URL: /admin'],
  ['Forwarded: for=1;host=admin'],
  // A chunked body is never sent here (the head ends the request): a server may wait for it.
  ['Transfer-Encoding: gzip'],
  ['Content-Length: 0'],
  ['Upgrade: websocket', 'Connection: upgrade'],
  ['Expect: 100-continue'],
)

/**
 * Request heads built at random from the same pieces (fast-check): hostile methods, targets,
 * `Host` headers, versions and headers, none with a valid token. A head whose method is CONNECT or
 * not in upper case is one some runtimes close unanswered (see the suite's quirks).
 */
export const generatedHostileRequest: fc.Arbitrary<{ method: string; head: string }> = fc
  .tuple(method, target, version, fc.array(host, { minLength: 0, maxLength: 2 }), extra)
  .map(([verb, path, http, hosts, headers]) => ({
    method: verb,
    head: [`${verb} ${path} ${http}`.trimEnd(), ...hosts.map((h) => `Host: ${h}`), ...headers].join('\r\n'),
  }))
