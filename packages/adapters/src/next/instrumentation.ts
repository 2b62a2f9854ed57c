/**
 * For a Next.js app served by Next's own Node server (`next start`), called from the app's
 * `instrumentation.ts`. Node keeps only the first of two `Authorization` headers in
 * `req.headers`, before Next.js or any app code sees the request, so a protected route would
 * judge the first credential alone. Here repeats are joined with ", ", as Fetch joins them, and
 * `withJwtAuth` and `createJwtProxy` answer 400 `invalid_request` (RFC 6750 §2: one method, one
 * token). Repeated `Host` headers are joined the same way, so that `withJwtAuth` answers them 400
 * (RFC 9112 §3.2) instead of Next.js reading the first. A request that RFC 9112 §3.2 refuses and
 * Node's parser lets through (an invalid or repeated `Host`, an asterisk-form `GET *` that Next.js
 * answers with a 500) is answered 400 on its socket, which is then closed, as Node answers a
 * request it cannot parse; so are the other requests the Node adapter refuses (see `refusalOf`),
 * and TRACE, which Next.js answers with a bare 500, gets a 501 problem. It listens on Node's
 * `http.server.request.start` diagnostics channel, published before the server's `request` event;
 * nothing of Node or Next.js is patched. Calling it again does nothing.
 *
 * @example
 * ```ts
 * // instrumentation.ts
 * export async function register() {
 *   if (process.env.NEXT_RUNTIME === 'nodejs') {
 *     const { keepRepeatedAuthorization } = await import('@covet/adapters/next/instrumentation')
 *     keepRepeatedAuthorization()
 *   }
 * }
 * ```
 * @see https://nodejs.org/api/diagnostics_channel.html#http
 */
import { subscribe } from 'node:diagnostics_channel'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { PlainAnswer } from '@covet/core'
import { TRACE_NOT_IMPLEMENTED } from '../node/answers.js'
import { repeatedAuthorization, repeatedHeader } from '../node/authorization.js'
import { rawAnswer } from '../node/raw-answer.js'
import { refusalOf } from '../node/request-line.js'

let listening = false

export function keepRepeatedAuthorization(): void {
  if (listening) return
  listening = true
  subscribe('http.server.request.start', onRequestStart)
}

function onRequestStart(message: unknown): void {
  const { request, socket } = message as { request: IncomingMessage; socket: Socket }
  // Fetch forbids TRACE (https://fetch.spec.whatwg.org/#forbidden-method): Next.js builds no Request
  // for it and answers a bare 500. (CONNECT never reaches here, and Node's parser refuses TRACK.)
  const refusal = request.method === 'TRACE' ? TRACE_NOT_IMPLEMENTED : refusalOf(request)
  if (refusal !== undefined) {
    refuse(request, socket, refusal)
    return
  }
  const hosts = repeatedHeader(request.rawHeaders, 'host')
  if (hosts !== undefined) request.headers.host = hosts
  if (request.headers.authorization === undefined) return
  const joined = repeatedAuthorization(request.rawHeaders)
  if (joined !== undefined) request.headers.authorization = joined
}

/** Answer on the socket itself and close it: what Next.js then writes goes nowhere. */
function refuse(request: IncomingMessage, socket: Socket, answer: PlainAnswer): void {
  socket.end(rawAnswer(answer, REASONS[answer.status] ?? '', request.method))
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
}
