import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidHost, requestPathname } from './request-target.js'

// The rule requestPathname implements, as plainly as it can be written: every URL through the
// WHATWG parser. requestPathname skips the parse for plain URLs; the two must always agree.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the bytes refused.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/
function reference(url: string, host: string | null): string | undefined {
  if (host !== null && !isValidHost(host)) return undefined
  if (CONTROL_OR_SPACE.test(url)) return undefined
  const scheme = url.indexOf('://')
  if (scheme === -1) return undefined
  const authority = /^[^/?#\\]*/.exec(url.slice(scheme + 3))![0]
  if (!isValidHost(authority)) return undefined
  const rest = url.slice(scheme + 3 + authority.length)
  const path = /^[^?#]*/.exec(rest)![0]
  // No path at all: a CONNECT's authority-form target, refused.
  if (path === '') return undefined
  const raw = path
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined
  return parsed.pathname === raw ? raw : undefined
}

const hostPiece = fc.constantFrom(
  'a',
  'api',
  'example',
  'com',
  '0',
  '1',
  '127',
  '255',
  '256',
  '999',
  '0x7f',
  '0X1',
  'xn--a',
  'xn--bcher-kva',
  '_',
  '~',
  '-',
  '',
  'A',
  '1a',
)
const port = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  { arbitrary: fc.constantFrom(':80', ':0', ':65535', ':65536', ':3000', ':'), weight: 1 },
)
const host = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.array(hostPiece, { minLength: 1, maxLength: 5 }), port)
      .map(([labels, suffix]) => labels.join('.') + suffix),
    weight: 8,
  },
  { arbitrary: fc.constantFrom('[::1]', '[1:2]', '[zz]', 'a@b', 'a b', '[::1]:8080'), weight: 1 },
)
const pathPiece = fc.constantFrom(
  'docs',
  'a',
  '.',
  '..',
  '%2e',
  '%2E%2e',
  '%41',
  '',
  '\\',
  ';',
  ':',
  '@',
  "!$&'()*+,=",
  '~',
  '"',
  '<',
  '{',
  '|',
  '^',
  '`',
  'é',
  '\t',
)
const path = fc.array(pathPiece, { maxLength: 6 }).map((pieces) => pieces.join('/'))
const url = fc
  .tuple(
    fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', 'http:/', 'https:///'),
    host,
    fc.constantFrom('', '/'),
    path,
    fc.constantFrom('', '?q=1', '?a/../b', '#x', '?'),
  )
  .map(([scheme, authority, slash, rest, tail]) => `${scheme}${authority}${slash}${rest}${tail}`)

describe('requestPathname', () => {
  it('answers exactly what parsing every URL with WHATWG URL answers, for hostile and plain URLs alike', () => {
    fc.assert(
      fc.property(url, fc.option(host, { nil: null }), (u, h) => {
        expect(requestPathname(u, h)).toBe(reference(u, h))
      }),
      { numRuns: 20_000 },
    )
  })

  it('answers a repeated question as it answered it the first time', () => {
    for (const [u, h] of [
      ['http://x/docs/../admin', 'x'],
      ['http://x/docs/a', 'x'],
      ['http://x/docs/a', 'y z'],
    ] as const) {
      expect([requestPathname(u, h), requestPathname(u, h)]).toEqual([reference(u, h), reference(u, h)])
    }
  })
})
