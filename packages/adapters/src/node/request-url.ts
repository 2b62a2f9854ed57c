/**
 * The Node adapter's `Request`: srvx's, over Node's request, whose URL is built on first read, as
 * srvx builds it. srvx builds it from Node's request: its `Host` rules, the forwarding headers it
 * may trust, and the socket's address, which it reads for that on every request; that took some
 * 400 ns of each request that reads `request.url`, and `withJwtAuth` reads it, as does every
 * router. Where srvx would keep the `Host` and an origin-form target as they are, this builds the
 * very URL srvx would, from them directly, with srvx's own `FastURL`; anything else (an IPv6
 * literal, a `Host` srvx would replace, absolute-form) is left to srvx. A handler that never reads
 * the URL builds none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { FastURL, NodeRequest } from 'srvx/node'

/** srvx's URL object. */
type SrvxUrl = InstanceType<typeof FastURL>

// Names srvx keeps as they are, a subset of its own Host pattern: labels of letters, digits, "-" and
// "_", dot-separated, and an optional port.
const PLAIN_HOST = /^(?:[A-Za-z0-9_-]+\.)*[A-Za-z0-9_-]+(?::\d{1,5})?$/

/** The URL srvx would build for `req`, when it keeps its `Host` and origin-form target as they are. */
export function directUrl(req: IncomingMessage): SrvxUrl | undefined {
  const target = req.url
  const host = req.headers.host
  // RFC 9112 §3.2.1: origin-form, with the authority from Host.
  if (target?.charCodeAt(0) !== 0x2f || host === undefined || !isPlainHost(host)) return undefined
  const query = target.indexOf('?')
  return new FastURL({
    protocol: (req.socket as { encrypted?: boolean } | null)?.encrypted ? 'https:' : 'http:',
    host,
    pathname: query === -1 ? target : target.slice(0, query),
    search: query === -1 ? '' : target.slice(query),
  })
}

// Requests on one server nearly always share their Host: the last one found plain is kept.
let lastPlainHost: string | undefined

function isPlainHost(host: string): boolean {
  if (host === lastPlainHost) return true
  if (!PLAIN_HOST.test(host)) return false
  lastPlainHost = host
  return true
}

type NodeRequestContext = ConstructorParameters<typeof NodeRequest>[0]

// srvx's Request builds its URL in the getter of `_url`; a version of srvx without one is left alone.
const srvxUrl = Object.getOwnPropertyDescriptor(NodeRequest.prototype, '_url')?.get as
  | ((this: unknown) => SrvxUrl)
  | undefined

/** srvx's `Request` over `req`, whose URL is `directUrl(req)` when there is one, made on first read. */
export const NodeFetchRequest: new (ctx: NodeRequestContext) => Request =
  srvxUrl === undefined
    ? (NodeRequest as unknown as new (
        ctx: NodeRequestContext,
      ) => Request)
    : (class extends (NodeRequest as unknown as new (ctx: NodeRequestContext) => object) {
        readonly #req: IncomingMessage
        #url: SrvxUrl | undefined
        constructor(ctx: { req: IncomingMessage; res: ServerResponse }) {
          super(ctx)
          this.#req = ctx.req
        }
        get _url(): SrvxUrl {
          this.#url ??= directUrl(this.#req) ?? (srvxUrl as (this: unknown) => SrvxUrl).call(this)
          return this.#url
        }
        set _url(url: SrvxUrl) {
          this.#url = url
        }
      } as unknown as new (
        ctx: NodeRequestContext,
      ) => Request)
