import { once } from 'node:events'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RawResponse, rawRequest } from '../test-support/raw-http.js'
import { answerClientErrors, type RunningServer, serve, toNodeHandler } from './index.js'

const MALFORMED = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: 'The request URL or Host header is malformed',
  code: 'ERR_REQUEST_MALFORMED',
}
const INTERNAL = { type: 'about:blank', title: 'Internal Server Error', status: 500 }
const UNPARSEABLE = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: 'The request could not be parsed',
  code: 'ERR_REQUEST_MALFORMED',
}

/** What a refusal is judged on: its status, the headers that make it a closing problem, its body. */
function refusal(response: RawResponse) {
  return {
    status: response.status,
    type: response.header('content-type'),
    cache: response.header('cache-control'),
    connection: response.header('connection'),
    body: JSON.parse(response.body),
  }
}

/** A problem answer of `status` with `body`, on a connection the server closes. */
const closingProblem = (status: number, body: object) => ({
  status,
  type: 'application/problem+json',
  cache: 'no-store',
  connection: 'close',
  body,
})

/** Everything a server sends on one connection after `bytes`, until it closes it. */
async function exchange(port: number, bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk) => chunks.push(chunk))
  socket.write(bytes)
  await once(socket, 'close')
  return Buffer.concat(chunks).toString('latin1')
}

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
        if (pathname === '/read') return request.text().then((text) => new Response(text))
        if (pathname === '/slow')
          return new Promise((resolve) => setTimeout(() => resolve(new Response('ok')), 100))
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

  /** Everything the server sends back for `bytes` on one connection, asserting no handler ran for it. */
  async function unreached(bytes: string) {
    const before = reached.length
    const text = await exchange(server.port, bytes)
    expect(reached.length).toBe(before)
    const [head = '', body = ''] = text.split('\r\n\r\n')
    return { text, head, statusLine: head.split('\r\n')[0], body: body === '' ? undefined : JSON.parse(body) }
  }

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
    ['an asterisk-form OPTIONS', 'OPTIONS * HTTP/1.1\r\nHost: x'],
    ['a CONNECT in authority-form', 'CONNECT x:443 HTTP/1.1\r\nHost: x:443'],
    ['a CONNECT on HTTP/1.0 without Host', 'CONNECT 127.0.0.1:80 HTTP/1.0'],
    ['a CONNECT with a path', 'CONNECT /admin HTTP/1.1\r\nHost: x'],
    ['no Host on HTTP/1.1', 'GET /health HTTP/1.1'],
  ])('answers %s with 400 before the handler runs (RFC 9112 §3.2)', async (_, head) => {
    const before = reached.length
    expect(refusal(await rawRequest(server.port, head))).toEqual(closingProblem(400, MALFORMED))
    expect(reached.length).toBe(before)
  })

  it.each([
    ['a request line that is not HTTP', 'GARBAGE'],
    ['an absolute-form target with a backslash', 'GET http://x\\admin/docs/a HTTP/1.1\r\nHost: x'],
    ['a tab in the target', 'GET /docs/.\t./admin HTTP/1.1\r\nHost: x'],
    ['a control character in a header value', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b'],
    [
      'a header folded onto a second line (RFC 9112 §5.2)',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n b',
    ],
    ['line ends of LF alone', 'GET /health HTTP/1.1\nHost: x\n'],
    [
      'Transfer-Encoding with Content-Length',
      'POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked',
    ],
  ])(
    "answers %s, which Node's parser refuses, with Covet's 400 problem, not Node's bare one",
    async (_, head) => {
      const before = reached.length
      expect(refusal(await rawRequest(server.port, head))).toEqual(closingProblem(400, UNPARSEABLE))
      expect(reached.length).toBe(before)
    },
  )

  it.each([
    ['gzip', 'abc'],
    ['gzip', 'abcGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['chunked, gzip', '3\r\nabc\r\n0\r\n\r\n'],
    ['identity', 'abc'],
  ])(
    'answers Transfer-Encoding: %s, whose final coding is not chunked, with the 400 problem before the handler, and closes (RFC 9112 §6.3)',
    async (codings, body) => {
      const answer = await unreached(
        `POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${codings}\r\n\r\n${body}`,
      )
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request')
      expect(answer.head.toLowerCase()).toContain('connection: close')
      expect(answer.body).toEqual(UNPARSEABLE)
    },
  )

  it('answers HTTP/1.0 with Transfer-Encoding with the 400 problem before the handler, and serves nothing after it on the connection (RFC 9112 §6.1)', async () => {
    const answer = await unreached(
      'POST /health HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /smuggled HTTP/1.0\r\nHost: x\r\n\r\n',
    )
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(answer.body).toEqual(UNPARSEABLE)
    expect(answer.text.match(/HTTP\/1\.1 /g)).toHaveLength(1)
  })

  it.each([
    ['a bad Host', 'GET /health HTTP/1.1\r\nHost: a b', 'HTTP/1.1 400'],
    ['an unmet expectation', 'GET /health HTTP/1.1\r\nHost: x\r\nExpect: nothing', 'HTTP/1.1 417'],
  ])(
    'serves nothing pipelined behind a request refused for %s, and closes the connection after the refusal (RFC 9112 §9.6)',
    async (_, head, statusLine) => {
      const answer = await unreached(`${head}\r\n\r\nGET /pipelined HTTP/1.1\r\nHost: x\r\n\r\n`)
      expect(answer.text.match(/HTTP\/1\.1 \d+/g)).toEqual([statusLine])
    },
  )

  it('still serves a chunked body, whatever the spelling of chunked', async () => {
    const text = await exchange(
      server.port,
      'POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:  Chunked \r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    )
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 200 OK')
    expect(text.endsWith('abc')).toBe(true)
  })

  it.each(['HTTP/2.0', 'HTTP/0.9'])(
    'answers a request line of %s, which Node parses as HTTP/1, with a 505 problem before the handler (RFC 9110 §15.6.6)',
    async (version) => {
      const before = reached.length
      const response = await rawRequest(server.port, `GET /health ${version}\r\nHost: x`)
      expect(refusal(response)).toEqual(
        closingProblem(505, { type: 'about:blank', title: 'HTTP Version Not Supported', status: 505 }),
      )
      expect(reached.length).toBe(before)
    },
  )

  it('answers headers larger than Node reads with a 431 problem (RFC 6585 §5)', async () => {
    const head = `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}`
    expect(refusal(await rawRequest(server.port, head))).toEqual(
      closingProblem(431, { type: 'about:blank', title: 'Request Header Fields Too Large', status: 431 }),
    )
  })

  it('answers chunk extensions past what Node reads with a 413 problem while the handler reads the body', async () => {
    const chunked = `POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;a=${'x'.repeat(20_000)}\r\n`
    const text = await exchange(server.port, chunked)
    const [head = '', body = ''] = text.split('\r\n\r\n')
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 413 Content Too Large')
    expect(JSON.parse(body)).toEqual({ type: 'about:blank', title: 'Content Too Large', status: 413 })
  })

  it("answers an expectation other than 100-continue with a 417 problem, not Node's bare one (RFC 9110 §10.1.1)", async () => {
    const before = reached.length
    expect(
      refusal(await rawRequest(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\nExpect: teapot')),
    ).toEqual(
      closingProblem(417, {
        type: 'about:blank',
        title: 'Expectation Failed',
        status: 417,
        detail: 'The only expectation served is 100-continue',
      }),
    )
    expect(reached.length).toBe(before)
  })

  it('still answers 100-continue and serves the request', async () => {
    const text = await exchange(
      server.port,
      'POST /health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab',
    )
    expect(text.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true)
  })

  it('keeps serving through a burst of clients that send garbage and reset at once', async () => {
    await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(server.port, '127.0.0.1', () => {
              socket.write('GARBAGE\r\n\r\n')
              socket.resetAndDestroy()
            })
            socket.on('error', () => {})
            socket.on('close', () => resolve())
          }),
      ),
    )
    expect((await rawRequest(server.port, 'GET /health HTTP/1.1\r\nHost: x')).status).toBe(200)
  })

  it('answers a malformed request pipelined behind one still being answered with the 400 problem, and closes, as Node would', async () => {
    const reports = reported.length
    const text = await exchange(server.port, 'GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n')
    const [head = '', body = ''] = text.split('\r\n\r\n')
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
    expect(JSON.parse(body)).toEqual(UNPARSEABLE)
    // The first answer, ready once the connection is gone, goes nowhere and troubles no one.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(reported.length).toBe(reports)
  })

  it('sends nothing after the answer already on a connection when the next request on it cannot be parsed', async () => {
    const text = await exchange(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n')
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true)
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1)
    expect(text.endsWith('\r\n\r\nok')).toBe(true)
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

  it('serves an absolute-form target, and one without a path as / (RFC 9110 §4.2.3)', async () => {
    for (const [target, path] of [
      ['http://x/docs/a?q=1', '/docs/a'],
      ['http://x', '/'],
      ['http://x?q=1', '/'],
    ]) {
      const response = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: x`)
      expect({ target, status: response.status, reached: reached.at(-1) }).toEqual({
        target,
        status: 200,
        reached: path,
      })
    }
  })

  it('answers a CONNECT whose tunnel data follows at once with the 400 problem alone', async () => {
    const answer = await unreached('CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n\u0016\u0003\u0001hello')
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(answer.body).toEqual(MALFORMED)
  })

  it('answers HEAD with the headers of the 400 and no body', async () => {
    const response = await rawRequest(server.port, 'HEAD /health HTTP/1.1\r\nHost: a b')
    expect({ status: response.status, body: response.body }).toEqual({ status: 400, body: '' })
  })
})

describe('answerClientErrors on a server of your own', () => {
  it('answers a request whose headers never finish within requestTimeout with a 408 problem', async () => {
    const server = createServer(
      { requestTimeout: 300, headersTimeout: 300, connectionsCheckingInterval: 50 },
      toNodeHandler(() => new Response('ok')),
    )
    answerClientErrors(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as { port: number }
      const text = await exchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n')
      const [head = '', body = ''] = text.split('\r\n\r\n')
      expect(head.split('\r\n')).toEqual([
        'HTTP/1.1 408 Request Timeout',
        'content-type: application/problem+json',
        'cache-control: no-store',
        `content-length: ${Buffer.byteLength(body)}`,
        'connection: close',
      ])
      expect(JSON.parse(body)).toEqual({ type: 'about:blank', title: 'Request Timeout', status: 408 })
    } finally {
      server.close()
    }
  })

  it("answers a CONNECT with Covet's 400 problem instead of closing the connection without a word", async () => {
    const server = answerClientErrors(createServer(toNodeHandler(() => new Response('reached'))))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as { port: number }
      const response = await rawRequest(port, 'CONNECT x:443 HTTP/1.1\r\nHost: x:443')
      expect(refusal(response)).toEqual(closingProblem(400, MALFORMED))
    } finally {
      server.close()
    }
  })
})
