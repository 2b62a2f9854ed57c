/**
 * Serve a Fetch-API handler with `Deno.serve`.
 * @see https://docs.deno.com/api/deno/~/Deno.serve
 */
import { guardHandler, internalErrorResponse, logUnexpectedError, report } from '../lib/guard.js'
import { closeOnce, listening } from '../lib/lifecycle.js'
import {
  type FetchHandler,
  parseServeOptions,
  type RunningServer,
  type ServeOptions,
} from '../lib/serve-options.js'

export type { OnUnexpectedError } from '../lib/guard.js'
export type { FetchHandler, RunningServer, ServeOptions } from '../lib/serve-options.js'

/** What Deno passes the handler after the request (declared here: no Deno globals leak into the build). */
export interface DenoServeInfo {
  readonly remoteAddr: { readonly hostname: string; readonly port: number }
}

interface DenoGlobal {
  serve(
    options: {
      port: number
      hostname: string
      signal?: AbortSignal
      onListen?: (address: { hostname: string; port: number }) => void
      onError?: (error: unknown) => Response
    },
    handler: (request: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): { readonly finished: Promise<void>; shutdown(): Promise<void> }
}

/**
 * Listen with `Deno.serve`; the handler receives Deno's connection info as its second argument. A
 * request whose URL or `Host` reads as another path (Deno copies the `Host` into `request.url`
 * unchecked) gets 400 before the handler runs; an escaped error gets a bare 500 problem.
 * @example await serve(app, { port: 3000 })
 */
export function serve(
  handler: FetchHandler<[DenoServeInfo]>,
  options?: ServeOptions,
): Promise<RunningServer> {
  const parsed = parseServeOptions(options)
  const reportError = options?.reportError ?? logUnexpectedError
  const deno = (globalThis as { Deno?: DenoGlobal }).Deno
  if (deno === undefined) throw new TypeError('@covet/adapters/deno runs on Deno only')
  return new Promise((resolve) => {
    // shutdown() stops accepting and waits for in-flight requests.
    const close = closeOnce(() => server.shutdown())
    const server = deno.serve(
      {
        port: parsed.port,
        hostname: parsed.hostname,
        // A backstop: the guarded handler already answers its own errors.
        onError: (error) => {
          report(reportError, error)
          return internalErrorResponse()
        },
        onListen: (address) => resolve(listening(parsed, address.port, close)),
      },
      guardHandler(handler, reportError),
    )
  })
}
