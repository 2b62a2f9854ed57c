/**
 * Checks on what Node's HTTP parser lets through but RFC 9112 makes a server refuse, made on the
 * raw request before `@whatwg-node/server` builds a `Request` from it.
 */
import type { IncomingMessage } from 'node:http'
import { isValidHost, requestPathname } from '@covet/core'

/**
 * Whether `req` must be answered 400: no `Host` on HTTP/1.1, two `Host` headers, a `Host` that is
 * not a valid `host[:port]` (RFC 9112 §3.2), or a target that is neither origin-form nor
 * absolute-form or that could be read as another path (see `requestPathname`).
 */
export function isMalformedRequest(req: IncomingMessage): boolean {
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
