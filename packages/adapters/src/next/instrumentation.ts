/**
 * For a Next.js app served by Next's own Node server (`next start`), called from the app's
 * `instrumentation.ts`. Node keeps only the first of two `Authorization` headers in
 * `req.headers`, before Next.js or any app code sees the request, so a protected route would
 * judge the first credential alone. Here repeats are joined with ", ", as Fetch joins them, and
 * `withJwtAuth` and `createJwtProxy` answer 400 `invalid_request` (RFC 6750 §2: one method, one
 * token). It listens on Node's `http.server.request.start` diagnostics channel, published before
 * the server's `request` event; nothing of Node or Next.js is patched. Calling it again does nothing.
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
import { repeatedAuthorization } from '../node/authorization.js'

let listening = false

export function keepRepeatedAuthorization(): void {
  if (listening) return
  listening = true
  subscribe('http.server.request.start', onRequestStart)
}

function onRequestStart(message: unknown): void {
  const request = (message as { request: IncomingMessage }).request
  if (request.headers.authorization === undefined) return
  const joined = repeatedAuthorization(request.rawHeaders)
  if (joined !== undefined) request.headers.authorization = joined
}
