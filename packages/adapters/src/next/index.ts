/**
 * Next.js App Router: protect route handlers, or verify once in `proxy.ts` and forward the identity.
 * @see https://nextjs.org/docs/app/api-reference/file-conventions/proxy
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import { getAuth, withJwtAuth as protect, type WithJwtAuthOptions } from '@covet/core'
import { NextResponse } from 'next/server.js'
import { guardHandler, logUnexpectedError, type OnUnexpectedError } from '../lib/guard.js'
import { refuseRenamed } from '../lib/serve-options.js'
import {
  checkSecret,
  DEFAULT_HEADER,
  type IdentityOptions,
  openIdentity,
  type ProxyIdentity,
  sealIdentity,
} from './identity.js'

export type { OnUnexpectedError } from '../lib/guard.js'
export type { IdentityOptions, ProxyIdentity } from './identity.js'

/** Options of `toRouteHandler`. */
export interface RouteHandlerOptions {
  /** Told of every error the handler lets escape (the client gets a bare 500). Default: `console.error`. */
  reportError?: OnUnexpectedError
}

/**
 * A route handler export that keeps the rules every Covet adapter keeps, as `serve` does on the
 * other runtimes: a request whose URL or `Host` could be read as another path gets 400 (RFC 9112
 * §3.2), and an error the handler lets escape gets a bare 500 problem+json (Next.js would answer an
 * empty 500), reported to `reportError`. `redirect()`, `notFound()` and the like are left to Next.js.
 * Next's `(request, { params })` signature is kept; protect the handler with core's `withJwtAuth`.
 *
 * @example
 * export const GET = toRouteHandler(withJwtAuth(async (request, { params }) => Response.json(getAuth(request)), { auth }))
 */
export function toRouteHandler<Req extends Request, Rest extends unknown[]>(
  handler: (request: Req, ...rest: Rest) => Response | Promise<Response>,
  options: RouteHandlerOptions = {},
): (request: Req, ...rest: Rest) => Promise<Response> {
  refuseRenamed(options)
  const guarded = guardHandler(handler, options.reportError ?? logUnexpectedError, isNextControlFlow)
  // Next.js awaits a route's answer anyway: always a promise, as route handlers are typed.
  return async (request, ...rest) => guarded(request, ...rest)
}

/** `redirect()`, `notFound()` and friends throw errors that Next.js itself must catch. */
function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest
  return typeof digest === 'string' && /^(NEXT_|DYNAMIC_SERVER_USAGE)/.test(digest)
}

/** Options of `createJwtProxy`: those of `withJwtAuth`, plus how identity is forwarded. */
export type JwtProxyOptions<Claims extends object = Record<never, never>> = WithJwtAuthOptions<Claims> &
  IdentityOptions

/**
 * A `proxy.ts` function: answers 401/400/403 itself, otherwise lets the request through with the
 * verified identity in a signed request header. Any copy of that header sent by the client is
 * deleted first, on every path (exempt ones included), so a route handler never sees a forged one.
 * @example export const proxy = createJwtProxy({ auth, exemptPaths: ['/api/health'] })
 */
export function createJwtProxy<Claims extends object>(
  options: JwtProxyOptions<Claims>,
): (request: Request) => Promise<Response> {
  const { header = DEFAULT_HEADER, secret, ...guard } = options
  checkSecret(secret)
  const forward = protect<Request, [], Claims>(async (request) => {
    const headers = new Headers(request.headers)
    headers.delete(header)
    const verified = getAuth(request)
    if (verified !== undefined) {
      const { token: _token, ...identity } = verified
      headers.set(header, await sealIdentity(identity, secret))
    }
    return NextResponse.next({ request: { headers } })
  }, guard)
  return async (request) => forward(request)
}

/**
 * In a route handler: the identity `createJwtProxy` verified for this request, or `undefined` when
 * the path was exempt, the request anonymous, or the header forged.
 * @example const who = await getProxyAuth(request)
 */
export function getProxyAuth<Claims extends object = Record<never, never>>(
  request: Request,
  options: IdentityOptions = {},
): Promise<ProxyIdentity<Claims> | undefined> {
  return openIdentity<Claims>(request.headers.get(options.header ?? DEFAULT_HEADER), options.secret)
}
