import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from './http.js'
import { demoEnv, freePort, type Spawned, startBuiltDemo, waitUntilReady } from './process.js'

const LIMIT = 16 * 1024
const MIB = 1024 * 1024

interface Upload {
  /** Everything the server answered. */
  readonly answer: string
  /** Body bytes the client got to write before the server stopped taking them. */
  readonly sent: number
}

/**
 * Sends `head`, then up to `total` body bytes in 64 KiB pieces (chunked-encoded when `chunked`),
 * as fast as the server takes them. Ends when the server closes the connection, when the body is
 * all sent, or when an answer has arrived and the server has taken nothing for a second.
 */
function upload(port: number, head: string, total: number, chunked: boolean): Promise<Upload> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const piece = Buffer.alloc(64 * 1024, 0x61)
    const framed = chunked
      ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
      : piece
    let answer = ''
    let sent = 0
    let stalled: NodeJS.Timeout | undefined
    const done = () => {
      clearTimeout(stalled)
      socket.destroy()
      resolve({ answer, sent })
    }
    const pump = () => {
      clearTimeout(stalled)
      while (sent < total) {
        sent += piece.length
        if (!socket.write(framed)) {
          // The server stopped reading: once it has answered, a second of silence ends the upload.
          stalled = setTimeout(() => answer !== '' && done(), 1000)
          socket.once('drain', pump)
          return
        }
      }
      if (chunked) socket.write('0\r\n\r\n')
    }
    socket.setEncoding('latin1')
    socket.on('data', (data: string) => {
      answer += data
      if (sent >= total && isComplete(answer)) done()
    })
    socket.on('close', done)
    socket.on('error', () => {})
    socket.setTimeout(30_000, done)
    socket.write(head)
    pump()
  })
}

/** Whether a raw HTTP/1.1 answer holds its head and all the content its Content-Length announces. */
function isComplete(answer: string): boolean {
  const end = answer.indexOf('\r\n\r\n')
  const length = /\r\ncontent-length: *(\d+)\r\n/i.exec(answer.slice(0, end))?.[1]
  return end !== -1 && length !== undefined && answer.length - end - 4 >= Number(length)
}

/** The problem body of a raw HTTP/1.1 answer. */
function problemOf(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))
}

/**
 * Bodies over 16 KiB sent to the running demo over raw sockets: 413, and the server stops reading
 * long before the body ends. Called from demo.test.ts, after the README suite has built the demo.
 */
export function bodyLimitSuite(): void {
  describe('the running demo and request bodies over 16 KiB (raw sockets)', () => {
    let demo: Spawned
    let port: number

    beforeAll(async () => {
      port = await freePort()
      demo = startBuiltDemo(demoEnv({ PORT: String(port), HOST: '127.0.0.1' }))
      await waitUntilReady(`http://127.0.0.1:${port}/health`, demo, 30_000)
    })
    afterAll(async () => {
      await demo?.kill()
    })

    const tooLarge = {
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: `The request body is larger than ${LIMIT} bytes`,
      code: 'ERR_BODY_TOO_LARGE',
    }

    for (const [path, auth] of [
      ['/logout', true],
      ['/oauth/token', false],
    ] as const) {
      it(`answers 413 to a 64 MiB chunked body on ${path}, and stops reading it long before its end`, async () => {
        const authorization = auth
          ? `Authorization: Bearer ${(await login(`http://127.0.0.1:${port}`, 'alice')).access_token}\r\n`
          : 'Authorization: Basic ZGVtby1hcHA6ZGVtby1hcHAtc2VjcmV0\r\n'
        const head =
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${authorization}` +
          'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n'
        const { answer, sent } = await upload(port, head, 64 * MIB, true)
        expect(answer).toMatch(/^HTTP\/1\.1 413 /)
        expect(answer.toLowerCase()).toContain('content-type: application/problem+json\r\n')
        expect(problemOf(answer)).toEqual(tooLarge)
        // What the client got to write is what the kernels' socket buffers hold: a few MiB, not 64.
        expect(sent).toBeLessThan(32 * MIB)
      })

      it(`answers 413 on ${path} to a Content-Length of 200 MiB before a byte of the body is sent`, async () => {
        const authorization = auth
          ? `Authorization: Bearer ${(await login(`http://127.0.0.1:${port}`, 'alice')).access_token}\r\n`
          : 'Authorization: Basic ZGVtby1hcHA6ZGVtby1hcHAtc2VjcmV0\r\n'
        const head =
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${authorization}` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${200 * MIB}\r\n\r\n`
        const { answer, sent } = await upload(port, head, 0, false)
        expect(sent).toBe(0)
        expect(answer).toMatch(/^HTTP\/1\.1 413 /)
        expect(problemOf(answer)).toEqual(tooLarge)
      })
    }

    it('still serves requests afterwards', async () => {
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
    })
  })
}
