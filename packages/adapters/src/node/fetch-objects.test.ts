import { createJwtAuth, withJwtAuth } from '@covet/core'
import { Response as PonyfillResponse } from '@whatwg-node/fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../test-support/raw-http.js'
import { type RunningServer, serve } from './index.js'

const NodeRequest = globalThis.Request
const NodeResponse = globalThis.Response
const restoreGlobals = () => {
  globalThis.Request = NodeRequest
  globalThis.Response = NodeResponse
}

/** What a handler saw of the request it was given, and of the globals. */
async function describeRequest(request: Request): Promise<Response> {
  return Response.json({
    method: request.method,
    url: request.url,
    body: await request.text(),
    requestIsNative: request instanceof NodeRequest,
    responseIsNative: new Response('x') instanceof NodeResponse,
  })
}

/** A copy of the request, as middleware that rewrites a request makes one. */
function copyRequest(request: Request): Response {
  const copy = new Request(request, { headers: { 'x-copied': 'yes' } })
  return Response.json({ url: copy.url, copied: copy.headers.get('x-copied') })
}

describe('the Node adapter with its default globals', () => {
  const controller = new AbortController()
  const reported: unknown[] = []
  let server: RunningServer
  beforeAll(async () => {
    server = await serve(
      (request, { waitUntil }) => {
        const { pathname } = new URL(request.url)
        if (pathname === '/copy') return copyRequest(request)
        if (pathname === '/ponyfill') return new PonyfillResponse('from the ponyfill', { status: 201 })
        if (pathname === '/bad-header') return new Response('x', { headers: { 'x-bad': 'a\nb' } })
        if (pathname === '/wait') {
          waitUntil(Promise.reject(new Error('background work failed')))
          return new Response(null, { status: 204 })
        }
        if (pathname === '/stream') {
          const body = new ReadableStream({
            start(stream) {
              stream.enqueue(new TextEncoder().encode('one,'))
              stream.enqueue(new TextEncoder().encode('two'))
              stream.close()
            },
          })
          return new Response(body, { headers: { 'content-type': 'text/plain' } })
        }
        return describeRequest(request)
      },
      { signal: controller.signal, reportError: (error) => reported.push(error) },
    )
  })
  afterAll(() => {
    controller.abort()
    restoreGlobals()
  })

  it("makes srvx's Request and Response the globals, with instanceof holding both ways", async () => {
    expect(globalThis.Response).not.toBe(NodeResponse)
    expect(new Response('x')).toBeInstanceOf(NodeResponse)
    expect(await fetch(`${server.url}/x`)).toBeInstanceOf(Response)
  })

  it('hands the handler a request that reads its body', async () => {
    const response = await fetch(`${server.url}/echo?q=1`, { method: 'POST', body: 'hello' })
    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({
      status: 200,
      type: 'application/json',
    })
    expect(await response.json()).toEqual({
      method: 'POST',
      url: `${server.url}/echo?q=1`,
      body: 'hello',
      requestIsNative: true,
      responseIsNative: true,
    })
  })

  it('hands the handler a request that new Request() copies', async () => {
    const response = await rawRequest(server.port, 'GET /copy HTTP/1.1\r\nHost: localhost')
    expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({
      status: 200,
      body: { url: 'http://localhost/copy', copied: 'yes' },
    })
  })

  it("sends Node's standard reason phrase with a response built by the global Response", async () => {
    const response = await rawRequest(server.port, 'GET /wait HTTP/1.1\r\nHost: localhost')
    expect({ status: response.status, reason: response.reason }).toEqual({
      status: 204,
      reason: 'No Content',
    })
  })

  it('streams a response whose body is a stream', async () => {
    const response = await rawRequest(server.port, 'GET /stream HTTP/1.1\r\nHost: localhost')
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: 'one,two' })
  })

  it("sends a response built with @whatwg-node/fetch's Response", async () => {
    const response = await rawRequest(server.port, 'GET /ponyfill HTTP/1.1\r\nHost: localhost')
    expect({
      status: response.status,
      reason: response.reason,
      length: response.header('content-length'),
      body: response.body,
    }).toEqual({ status: 201, reason: 'Created', length: '17', body: 'from the ponyfill' })
  })

  it('answers a response that cannot be written with a bare 500 problem, and reports why', async () => {
    const response = await rawRequest(server.port, 'GET /bad-header HTTP/1.1\r\nHost: localhost')
    expect({
      status: response.status,
      type: response.header('content-type'),
      body: JSON.parse(response.body),
    }).toEqual({
      status: 500,
      type: 'application/problem+json',
      body: { type: 'about:blank', title: 'Internal Server Error', status: 500 },
    })
    expect((reported.at(-1) as { code?: string }).code).toBe('ERR_INVALID_CHAR')
  })

  it('reports a waitUntil promise that rejects to reportError', async () => {
    expect((await rawRequest(server.port, 'GET /wait HTTP/1.1\r\nHost: localhost')).status).toBe(204)
    await expect.poll(() => (reported.at(-1) as Error | undefined)?.message).toBe('background work failed')
  })

  it('refuses an overrideGlobalObjects that is not a boolean with a ConfigError naming it', () => {
    expect(() => serve(describeRequest, { overrideGlobalObjects: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        message: expect.stringContaining('overrideGlobalObjects'),
      }),
    )
  })
})

describe('the Node adapter with overrideGlobalObjects: false', () => {
  const controller = new AbortController()
  let server: RunningServer
  beforeAll(async () => {
    restoreGlobals()
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'a-test-secret-that-is-long-enough-for-hs256!',
      issuer: 'https://issuer.test',
      audience: 'api',
    })
    server = await serve(
      withJwtAuth(() => Response.json({ ok: true }), { auth, realm: 'api', exemptPaths: ['/open'] }),
      { signal: controller.signal, overrideGlobalObjects: false },
    )
  })
  afterAll(() => controller.abort())

  it("keeps Node's own Response and sends what it builds", async () => {
    expect(globalThis.Response).toBe(NodeResponse)
    const response = await rawRequest(server.port, 'GET /open HTTP/1.1\r\nHost: localhost')
    expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({
      status: 200,
      body: { ok: true },
    })
  })

  it("answers with Covet's own 401 problem, headers and all", async () => {
    const response = await rawRequest(server.port, 'GET /me HTTP/1.1\r\nHost: localhost')
    expect({
      status: response.status,
      challenge: response.header('www-authenticate'),
      type: response.header('content-type'),
      length: response.header('content-length'),
      code: JSON.parse(response.body).code,
    }).toEqual({
      status: 401,
      challenge: expect.stringMatching(/^Bearer realm="api"/),
      type: 'application/problem+json',
      length: String(Buffer.byteLength(response.body)),
      code: 'ERR_CREDENTIALS_MISSING',
    })
  })
})
