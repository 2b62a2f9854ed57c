import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../test-support/raw-http.js'
import { keepRepeatedAuthorization } from './instrumentation.js'

// A bare node:http server, as Next.js's own: what reaches the app is whatever `req.headers` holds.
const seen = (port: number, head: string) =>
  rawRequest(port, `GET /x HTTP/1.1\r\nHost: localhost${head}`).then((response) => JSON.parse(response.body))

describe('keepRepeatedAuthorization', () => {
  let server: Server
  let port: number
  beforeAll(async () => {
    server = createServer((req, res) =>
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null })),
    )
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => server.close())

  it('is needed: without it Node hands the app only the first Authorization header', async () => {
    expect(await seen(port, '\r\nAuthorization: Bearer one\r\nAuthorization: Bearer two')).toEqual({
      authorization: 'Bearer one',
    })
  })

  it('joins repeated Authorization headers with ", " before the app reads them, once installed twice', async () => {
    keepRepeatedAuthorization()
    keepRepeatedAuthorization()
    expect(await seen(port, '\r\nAuthorization: Bearer one\r\nauthorization: Bearer two')).toEqual({
      authorization: 'Bearer one, Bearer two',
    })
  })

  it('leaves one Authorization header, and none, as they are', async () => {
    keepRepeatedAuthorization()
    expect(await seen(port, '\r\nAuthorization: Bearer one')).toEqual({ authorization: 'Bearer one' })
    expect(await seen(port, '')).toEqual({ authorization: null })
  })

  it('answers what the Node adapter refuses before the app: a bad Host, a body of unknown length, HTTP/2.0', async () => {
    keepRepeatedAuthorization()
    const answers = []
    for (const head of [
      'GET /x HTTP/1.1\r\nHost: a\\admin',
      'POST /x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip',
      'GET /x HTTP/2.0\r\nHost: localhost',
    ]) {
      const response = await rawRequest(port, head)
      answers.push([response.status, response.reason, JSON.parse(response.body).title])
    }
    expect(answers).toEqual([
      [400, 'Bad Request', 'Bad Request'],
      [400, 'Bad Request', 'Bad Request'],
      [505, 'HTTP Version Not Supported', 'HTTP Version Not Supported'],
    ])
  })

  it('answers TRACE, which no Fetch handler can be given, with a 501 problem (Next.js answers a bare 500)', async () => {
    keepRepeatedAuthorization()
    const response = await rawRequest(port, 'TRACE /x HTTP/1.1\r\nHost: localhost')
    expect({ status: response.status, reason: response.reason, body: JSON.parse(response.body) }).toEqual({
      status: 501,
      reason: 'Not Implemented',
      body: { type: 'about:blank', title: 'Not Implemented', status: 501, detail: 'TRACE is not served' },
    })
  })
})
