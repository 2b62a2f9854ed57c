/**
 * Checks on what Node's HTTP parser lets through but RFC 9112 makes a server refuse, made on the
 * raw request before srvx builds a `Request` from it.
 */
import type { IncomingMessage } from 'node:http'
import { isValidHost, MALFORMED_REQUEST_ANSWER, type PlainAnswer, requestPathname } from '@covet/core'
import { UNPARSEABLE_REQUEST, VERSION_NOT_SUPPORTED } from './answers.js'

/**
 * The answer `req` gets instead of reaching the handler, if any: 505 to another major version than
 * HTTP/1, 400 to a malformed target or `Host` (`isMalformedRequest`), and 400 to a body whose
 * length cannot be read (RFC 9112 §6.3) or that HTTP/1.0 frames with a transfer coding (§6.1).
 */
export function refusalOf(req: IncomingMessage): PlainAnswer | undefined {
  // RFC 9110 §15.6.6: Node's parser reads "HTTP/2.0" or "HTTP/0.9" as it reads HTTP/1.1.
  if (req.httpVersionMajor !== 1) return VERSION_NOT_SUPPORTED
  if (isMalformedRequest(req)) return MALFORMED_REQUEST_ANSWER
  const codings = req.headers['transfer-encoding']
  if (codings === undefined) return undefined
  // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; such framing is faulty, whatever it says.
  if (req.httpVersionMinor === 0 || !endsWithChunked(codings)) return UNPARSEABLE_REQUEST
  return undefined
}

// RFC 9112 §6.3: a request whose final transfer coding is not chunked has no readable length: 400,
// then close. Node's parser refuses it too, but only after the handler has begun.
function endsWithChunked(codings: string): boolean {
  return (
    codings
      .slice(codings.lastIndexOf(',') + 1)
      .trim()
      .toLowerCase() === 'chunked'
  )
}

/**
 * Whether `req` must be answered 400: no `Host` on HTTP/1.1, two `Host` headers, a `Host` that is
 * not a valid `host[:port]` (RFC 9112 §3.2), or a target that is neither origin-form nor
 * absolute-form or that could be read as another path (see `requestPathname`).
 */
function isMalformedRequest(req: IncomingMessage): boolean {
  const raw = req.rawHeaders
  let hosts = 0
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++
  }
  const host = req.headers.host
  // RFC 9112 §3.2: a request with no Host (HTTP/1.1), more than one, or an invalid one gets 400.
  if (hosts > 1 || (hosts === 0 && req.httpVersion !== '1.0')) return true
  const target = req.url ?? ''
  // RFC 9112 §3.2.1: origin-form; the authority then comes from Host, which requestPathname checks.
  // Checked with the URL and Host the handler will see, so that withJwtAuth's check of the same
  // request finds the answer made (see requestPathname).
  if (target.startsWith('/'))
    return requestPathname(`http://${host ?? 'localhost'}${target}`, host ?? null) === undefined
  if (host !== undefined && !isValidHost(host)) return true
  // RFC 9112 §3.2.2: absolute-form. Asterisk- and authority-form are not served.
  return requestPathname(withRootPath(target), null) === undefined
}

// RFC 9110 §4.2.3: an http(s) URI's empty path is "/", and srvx builds the URL so.
function withRootPath(target: string): string {
  const authority = target.indexOf('://') + 3
  if (authority === 2) return target
  const end = target.slice(authority).search(/[/?#\\]/)
  if (end === -1) return `${target}/`
  const at = authority + end
  return target.charCodeAt(at) === 0x2f ? target : `${target.slice(0, at)}/${target.slice(at)}`
}
