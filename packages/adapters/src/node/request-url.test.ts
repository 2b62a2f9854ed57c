import type { IncomingMessage } from 'node:http'
import { NodeRequest } from 'srvx/node'
import { describe, expect, it } from 'vitest'
import { directUrl, NodeFetchRequest } from './request-url.js'

/** A Node request as srvx reads it: target, Host, and whether the socket is TLS. */
function nodeRequest(target: string, host: string | undefined, encrypted = false): IncomingMessage {
  return {
    url: target,
    method: 'GET',
    httpVersion: '1.1',
    headers: host === undefined ? {} : { host },
    rawHeaders: host === undefined ? [] : ['Host', host],
    socket: {
      encrypted,
      localAddress: '127.0.0.1',
      localPort: 8080,
      get remoteAddress(): string {
        throw new Error('the socket address was read')
      },
    },
  } as unknown as IncomingMessage
}

/** The URL srvx builds for `req` by itself; its own path reads the socket's address, so that is given here. */
function srvxUrl(req: IncomingMessage): string {
  const { encrypted, localAddress, localPort } = req.socket as unknown as Record<string, unknown>
  const socket = { encrypted, localAddress, localPort, remoteAddress: '127.0.0.1' }
  return (
    new NodeRequest({ req: { ...req, socket } as unknown as IncomingMessage, res: {} as never }) as Request
  ).url
}

function adapterRequest(req: IncomingMessage): Request {
  return new NodeFetchRequest({ req, res: {} as never })
}

const HOSTS = [
  'example.com',
  'EXAMPLE.com:8080',
  '127.0.0.1:3000',
  'a-b.c_d',
  'xn--bcher-kva.example',
  'localhost',
  'x:1',
]
const TARGETS = [
  '/',
  '/me',
  '/a/b?x=1&y=2',
  '/docs?',
  '/p?q=a%20b',
  '/%7Euser',
  '/a//b',
  '/a/./b',
  '/é',
  '/a?b?c',
  '/?',
]

describe("the Node adapter's request URL", () => {
  it('is the very URL srvx would build, for every Host and origin-form target it keeps as they are', () => {
    for (const host of HOSTS)
      for (const target of TARGETS)
        for (const encrypted of [false, true]) {
          const req = nodeRequest(target, host, encrypted)
          const request = adapterRequest(req)
          expect(directUrl(req)).toBeDefined()
          expect(request.url).toBe(srvxUrl(req))
          expect(new URL(request.url).pathname).toBe(new URL(srvxUrl(req)).pathname)
        }
  })

  it("is built without reading the socket's address, which srvx's own way reads on every request", () => {
    const request = adapterRequest(nodeRequest('/me?x=1', 'example.com'))
    expect(request.url).toBe('http://example.com/me?x=1')
    expect(new URL(request.url).searchParams.get('x')).toBe('1')
  })

  it('is left to srvx where srvx would change the Host or read the target otherwise', () => {
    const cases: [string, string | undefined][] = [
      ['/me', 'a~b'],
      ['/me', '[::1]:8080'],
      ['/me', undefined],
      ['/me', 'a..b'],
      ['http://other.example/x', 'example.com'],
      ['*', 'example.com'],
    ]
    for (const [target, host] of cases) {
      const req = nodeRequest(target, host)
      expect(directUrl(req)).toBeUndefined()
      const socket = {
        encrypted: false,
        localAddress: '127.0.0.1',
        localPort: 8080,
        remoteAddress: '127.0.0.1',
      }
      const withAddress = { ...req, socket } as unknown as IncomingMessage
      expect(adapterRequest(withAddress).url).toBe(srvxUrl(withAddress))
    }
  })

  it('is built once, on first read, and never for a handler that does not read it', () => {
    let reads = 0
    const req = nodeRequest('/me', 'example.com')
    const counted = Object.defineProperty({ ...req }, 'url', {
      get: () => {
        reads++
        return '/me'
      },
    }) as IncomingMessage
    const request = adapterRequest(counted)
    expect([request.method, request.headers.get('host')]).toEqual(['GET', 'example.com'])
    expect(reads).toBe(0)
    expect([request.url, request.url]).toEqual(['http://example.com/me', 'http://example.com/me'])
    expect(reads).toBe(1)
  })
})
