/**
 * The URL of a request whose `Host` and target were already checked (request-line.ts), handed to
 * srvx's `Request` up front. srvx builds it on first read, from Node's request: its `Host` rules,
 * the forwarding headers it may trust, and the socket's address, which it reads for that on every
 * request. That took some 400 ns of each request that reads `request.url`, and `withJwtAuth` reads
 * it, as does every router. Where srvx would keep the `Host` and an origin-form target as they are,
 * this is the very URL it builds, made from them directly with srvx's own `FastURL`; anything else
 * (an IPv6 literal, a `Host` srvx would replace, absolute-form) is left to srvx.
 */
import type { IncomingMessage } from 'node:http'
import { FastURL, NodeRequest } from 'srvx/node'

// Names srvx keeps as they are, a subset of its own Host pattern: labels of letters, digits, "-" and
// "_", dot-separated, and an optional port.
const PLAIN_HOST = /^(?:[A-Za-z0-9_-]+\.)*[A-Za-z0-9_-]+(?::\d{1,5})?$/

// srvx's Request takes its URL through `_url`; a version of srvx without that setter is left alone.
const CAN_PRESET = typeof Object.getOwnPropertyDescriptor(NodeRequest.prototype, '_url')?.set === 'function'

/** Give `request` (srvx's, over `req`) its URL now, when srvx would build the same; returns whether it did. */
export function presetUrl(request: Request, req: IncomingMessage): boolean {
  const target = req.url
  const host = req.headers.host
  // RFC 9112 §3.2.1: origin-form, with the authority from Host.
  if (!CAN_PRESET || target?.charCodeAt(0) !== 0x2f || host === undefined || !PLAIN_HOST.test(host)) {
    return false
  }
  const query = target.indexOf('?')
  ;(request as unknown as { _url: unknown })._url = new FastURL({
    protocol: (req.socket as { encrypted?: boolean } | null)?.encrypted ? 'https:' : 'http:',
    host,
    pathname: query === -1 ? target : target.slice(0, query),
    search: query === -1 ? '' : target.slice(query),
  })
  return true
}
