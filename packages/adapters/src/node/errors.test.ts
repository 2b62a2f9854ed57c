import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../test-support/raw-http.js'
import { type RunningServer, serve } from './index.js'

const MALFORMED = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: 'The request URL or Host header is malformed',
  code: 'ERR_REQUEST_MALFORMED',
}
const INTERNAL = { type: 'about:blank', title: 'Internal Server Error', status: 500 }

describe('the Node adapter and requests it must not hand to the application', () => {
  const controller = new AbortController()
  const reached: string[] = []
  const reported: unknown[] = []
  let server: RunningServer
  beforeAll(async () => {
    server = await serve(
      (request) => {
        const { pathname } = new URL(request.url)
        reached.push(pathname)
        if (pathname === '/boom') throw new Error('secret detail at /srv/app/handler.ts:12')
        if (pathname === '/boom-twice') throw new Error('the reporter fails too')
        return new Response('ok')
      },
      {
        signal: controller.signal,
        reportError: (error) => {
          reported.push(error)
          if ((error as Error).message === 'the reporter fails too') throw new Error('reporter failed')
        },
      },
    )
  })
  afterAll(() => controller.abort())

  it.each([
    ['a Host with a tab and a path', 'GET /admin HTTP/1.1\r\nHost: x/docs/.\t.'],
    ['a Host with a backslash', 'GET /docs/x HTTP/1.1\r\nHost: a\\admin'],
    ['a Host with a space', 'GET /health HTTP/1.1\r\nHost: a b'],
    ['an unclosed IPv6 Host', 'GET /health HTTP/1.1\r\nHost: [::1'],
    ['a Host with a port out of range', 'GET /health HTTP/1.1\r\nHost: a:99999'],
    ['two Host headers', 'GET /health HTTP/1.1\r\nHost: a\r\nHost: a'],
    ['an absolute-form target with userinfo', 'GET http://x@admin/docs/a HTTP/1.1\r\nHost: x'],
    ['a target with dot segments', 'GET /docs/../admin HTTP/1.1\r\nHost: x'],
    ['an asterisk-form GET', 'GET * HTTP/1.1\r\nHost: x'],
  ])('answers %s with 400 before the handler runs (RFC 9112 §3.2)', async (_, head) => {
    const before = reached.length
    const response = await rawRequest(server.port, head)
    expect({
      status: response.status,
      type: response.header('content-type'),
      connection: response.header('connection'),
      body: JSON.parse(response.body),
    }).toEqual({ status: 400, type: 'application/problem+json', connection: 'close', body: MALFORMED })
    expect(reached.length).toBe(before)
  })

  it.each([
    ['no Host on HTTP/1.1', 'GET /health HTTP/1.1'],
    ['an absolute-form target with a backslash', 'GET http://x\\admin/docs/a HTTP/1.1\r\nHost: x'],
    ['a tab in the target', 'GET /docs/.\t./admin HTTP/1.1\r\nHost: x'],
  ])("leaves %s to Node's own parser, which answers 400 before any handler", async (_, head) => {
    const before = reached.length
    expect((await rawRequest(server.port, head)).status).toBe(400)
    expect(reached.length).toBe(before)
  })

  it('serves HTTP/1.0 without a Host', async () => {
    expect((await rawRequest(server.port, 'GET /health HTTP/1.0')).status).toBe(200)
  })

  it('answers an error the handler lets escape with a bare 500 problem and reports it to reportError', async () => {
    const response = await rawRequest(server.port, 'GET /boom HTTP/1.1\r\nHost: x')
    expect({
      status: response.status,
      type: response.header('content-type'),
      body: JSON.parse(response.body),
    }).toEqual({ status: 500, type: 'application/problem+json', body: INTERNAL })
    expect(response.body).not.toContain('secret detail')
    expect((reported.at(-1) as Error).message).toBe('secret detail at /srv/app/handler.ts:12')
  })

  it('keeps serving when reportError itself throws', async () => {
    expect((await rawRequest(server.port, 'GET /boom-twice HTTP/1.1\r\nHost: x')).status).toBe(500)
    expect((await rawRequest(server.port, 'GET /health HTTP/1.1\r\nHost: x')).status).toBe(200)
  })

  it('answers HEAD with the headers of the 400 and no body', async () => {
    const response = await rawRequest(server.port, 'HEAD /health HTTP/1.1\r\nHost: a b')
    expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: '' })
  })
})
