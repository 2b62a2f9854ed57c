/**
 * What a `node:http` server answers a request its own parser refuses: a request line that is not
 * HTTP, a control character in a target or header, `Transfer-Encoding` beside `Content-Length`,
 * headers past `maxHeaderSize`, headers that never finish within `requestTimeout`; and a request
 * with an expectation Node does not meet. Left to Node, these get its bare status line; here they
 * get RFC 9457 problems like every other answer of the adapter, and the connection is closed. A
 * CONNECT, which Node would close without an answer, gets the 400 problem of a malformed request.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { MALFORMED_REQUEST_ANSWER } from '@covet/core'
import { problem, UNPARSEABLE_REQUEST } from './answers.js'
import { writePlain } from './plain.js'
import { rawAnswer } from './raw-answer.js'

/** A problem answer as the bytes written on the socket (no `ServerResponse` exists for it). */
const onSocket = (status: number, title: string, details?: Record<string, unknown>): string =>
  rawAnswer(problem(status, title, details), title)

/** Any request Node could not parse. */
const UNPARSEABLE = rawAnswer(UNPARSEABLE_REQUEST, 'Bad Request')

/** The errors Node itself answers with another status than 400, by their code. */
const ANSWERS: Readonly<Record<string, string>> = {
  // RFC 6585 §5.
  HPE_HEADER_OVERFLOW: onSocket(431, 'Request Header Fields Too Large'),
  // RFC 9110 §15.5.14: chunk extensions past Node's limit.
  HPE_CHUNK_EXTENSIONS_OVERFLOW: onSocket(413, 'Content Too Large'),
  // RFC 9110 §15.5.9: the request did not arrive within `requestTimeout` or `headersTimeout`.
  ERR_HTTP_REQUEST_TIMEOUT: onSocket(408, 'Request Timeout'),
}

function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // As Node's own handler: only a connection that has carried nothing yet gets an answer, so that
  // no answer already on its way is corrupted; any other is closed.
  if (!socket.writable || socket.bytesWritten !== 0) {
    socket.destroy()
    return
  }
  socket.end(ANSWERS[error.code ?? ''] ?? UNPARSEABLE, () => socket.destroy())
}

/** The 400 problem withJwtAuth gives a malformed request, as bytes on the socket. */
const MALFORMED = rawAnswer(MALFORMED_REQUEST_ANSWER, 'Bad Request')

// RFC 9112 §3.2.3: CONNECT's authority-form names no resource here, and Fetch has no CONNECT; left to
// Node (no 'connect' listener), the connection is closed without a word.
function onConnect(_request: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy())
  socket.end(MALFORMED, () => socket.destroy())
}

const EXPECTATION_FAILED = problem(417, 'Expectation Failed', {
  detail: 'The only expectation served is 100-continue',
})

// RFC 9110 §10.1.1: an expectation other than 100-continue may be answered 417; Node does, bare.
function onUnmetExpectation(request: IncomingMessage, response: ServerResponse): void {
  writePlain(request, response, EXPECTATION_FAILED)
}

/**
 * Answer the requests `server`'s parser refuses, those with an expectation other than
 * 100-continue, and CONNECT, with problems instead of Node's bare status line or silence (`serve`
 * does this itself). For a server of your own around `toNodeHandler`; create it with
 * `requireHostHeader: false`, so that an HTTP/1.1 request without `Host` reaches the adapter's own
 * 400 problem rather than Node's bare one. Returns `server`.
 * @example answerClientErrors(createServer({ requireHostHeader: false }, toNodeHandler(app))).listen(3000)
 */
export function answerClientErrors<S extends Server>(server: S): S {
  server.on('clientError', onClientError)
  server.on('connect', onConnect)
  server.on('checkExpectation', onUnmetExpectation)
  return server
}
