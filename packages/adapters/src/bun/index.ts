/**
 * Serve a Fetch-API handler with `Bun.serve`.
 * @see https://bun.sh/docs/api/http
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

/** The part of Bun's server object this adapter uses (declared here: no Bun globals leak into the build). */
export interface BunServer {
  readonly port: number
  readonly hostname: string
  stop(closeActiveConnections?: boolean): Promise<void> | void
}

interface BunGlobal {
  serve(options: {
    port: number
    hostname: string
    development: boolean
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>
    error: (error: Error) => Response
  }): BunServer
}

/**
 * Listen with `Bun.serve`; the handler receives Bun's server as its second argument. A request whose
 * URL or `Host` reads as another path gets 400 before the handler runs; an error the handler lets
 * escape gets a bare 500 problem and goes to `reportError`.
 * @example await serve(app, { port: 3000 })
 */
export async function serve(
  handler: FetchHandler<[BunServer]>,
  options?: ServeOptions,
): Promise<RunningServer> {
  const parsed = parseServeOptions(options)
  const bun = (globalThis as { Bun?: BunGlobal }).Bun
  if (bun === undefined) throw new TypeError('@covet/adapters/bun runs on Bun only')
  const reportError = options?.reportError ?? logUnexpectedError
  const server = bun.serve({
    port: parsed.port,
    hostname: parsed.hostname,
    // Never Bun's development error page (stack, paths, source) to a client, whatever NODE_ENV says.
    development: false,
    fetch: guardHandler(handler, reportError),
    error: (error) => {
      report(reportError, error)
      return internalErrorResponse()
    },
  })
  // stop() without `true` lets in-flight requests finish.
  return listening(
    parsed,
    server.port,
    closeOnce(() => server.stop()),
  )
}
