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
})
