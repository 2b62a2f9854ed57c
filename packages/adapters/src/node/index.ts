/**
 * Serve a Fetch-API handler with `node:http`, through srvx's lightweight `Request` over Node's
 * request and its `Response` writer.
 * @see https://srvx.h3.dev/guide/node
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import { ConfigError, INTERNAL_ERROR_ANSWER, setResponseConstructor } from '@covet/core'
import { FastResponse } from 'srvx/node'
import { guardErrors, logUnexpectedError, type OnUnexpectedError, report } from '../lib/guard.js'
import { closeOnce, listening } from '../lib/lifecycle.js'
import {
  type FetchHandler,
  parseServeOptions,
  type RunningServer,
  refuseRenamed,
  type ServeOptions,
} from '../lib/serve-options.js'
import { answerClientErrors } from './client-errors.js'
import { installFastGlobals } from './globals.js'
import { isClosing, writePlain } from './plain.js'
import { refusalOf } from './request-line.js'
import { NodeFetchRequest } from './request-url.js'
import { writeResponse } from './send.js'

export type { OnUnexpectedError } from '../lib/guard.js'
export type { FetchHandler, RunningServer, ServeOptions } from '../lib/serve-options.js'
export { answerClientErrors } from './client-errors.js'

/** What the handler receives after the request: Node's own request and response. */
export interface NodeContext {
  req: IncomingMessage
  res: ServerResponse
  /** Work that goes on after the response: a rejection goes to `reportError`. */
  waitUntil(promise: Promise<unknown>): void
}

/** Options of `toNodeHandler`. */
export interface NodeHandlerOptions {
  /** Told of every error the handler lets escape (the client gets a bare 500). Default: `console.error`. */
  reportError?: OnUnexpectedError
  /**
   * Make srvx's `Request` and `Response` the globals (default `true`), so that `new Response(…)` and
   * `Response.json(…)` in the handler build no undici stream (`instanceof` holds both ways). With
   * `false`, Node's own stay, and the responses they build are streamed back.
   */
  overrideGlobalObjects?: boolean
}

/** Options of the Node `serve`. */
export type NodeServeOptions = ServeOptions & Pick<NodeHandlerOptions, 'overrideGlobalObjects'>

/**
 * Turn a Fetch handler into a `node:http` request listener. A request Node's parser accepts but
 * RFC 9112 §3.2 refuses (bad or repeated `Host`, a target that reads as another path) is answered
 * 400 before any `Request` is built; an error the handler lets escape is a bare 500 problem.
 * Repeated `Authorization` headers reach the handler joined with ", ", as Fetch joins them.
 * @example createServer(toNodeHandler(app)).listen(3000)
 */
export function toNodeHandler(
  handler: FetchHandler<[NodeContext]>,
  options: NodeHandlerOptions = {},
): RequestListener {
  refuseRenamed(options)
  const reportError = options.reportError ?? logUnexpectedError
  const fastGlobals = options.overrideGlobalObjects ?? true
  if (typeof fastGlobals !== 'boolean') throw new ConfigError('overrideGlobalObjects', 'must be a boolean')
  if (fastGlobals) installFastGlobals()
  // The URL and Host were checked on the raw request, before any Request was built.
  const guarded = guardErrors(handler, reportError)
  const waitUntil = (promise: Promise<unknown>): void => {
    Promise.resolve(promise).catch((error: unknown) => report(reportError, error))
  }
  return (req, res) => {
    // RFC 9112 §9.6: nothing after an answer sent with "close" is served on its connection.
    if (isClosing(req)) return
    // On the raw request line and headers: srvx's URL would already have resolved dot segments.
    const refusal = refusalOf(req)
    if (refusal !== undefined) return writePlain(req, res, refusal)
    // srvx's Request reads Node's parsed request lazily; its headers join repeated Authorization
    // headers with ", " (Node keeps only the first), so that withJwtAuth can refuse them (RFC 6750 §2).
    // Its URL, when read, is made from the Host and target checked above (request-url.ts).
    const request = new NodeFetchRequest({ req, res })
    // With Node's own globals, Covet's answers (401/403 problems) are still built with srvx's Response.
    if (!fastGlobals) setResponseConstructor(request, FastResponse)
    const response = guarded(request, { req, res, waitUntil })
    if (response instanceof Promise) void response.then((sent) => send(req, res, sent, reportError, request))
    else send(req, res, response, reportError, request)
  }
}

/** Write `response`; a response that cannot be written (an invalid header) is a bare 500, reported. */
function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  reportError: OnUnexpectedError,
  request: Request,
): void {
  const failed = (error: unknown): void => {
    report(reportError, error, request)
    if (res.headersSent) res.destroy()
    else writePlain(req, res, INTERNAL_ERROR_ANSWER)
  }
  try {
    writeResponse(res, response)?.catch(failed)
  } catch (error) {
    failed(error)
  }
}

/**
 * Listen on `port` (default: a free one) and shut down gracefully on `signal`, SIGINT or SIGTERM.
 * @example const server = await serve(app, { port: 3000 })
 */
export function serve(
  handler: FetchHandler<[NodeContext]>,
  options?: NodeServeOptions,
): Promise<RunningServer> {
  const parsed = parseServeOptions(options)
  const { port, hostname, reportError } = parsed
  // Every refusal is the adapter's own problem: an HTTP/1.1 request without Host is left to
  // refusalOf (request-line.ts), and what Node's parser refuses to client-errors.ts.
  const server = createServer(
    { requireHostHeader: false },
    toNodeHandler(handler, {
      ...(reportError !== undefined && { reportError }),
      ...(options?.overrideGlobalObjects !== undefined && {
        overrideGlobalObjects: options.overrideGlobalObjects,
      }),
    }),
  )
  answerClientErrors(server)
  const close = closeOnce(
    () =>
      new Promise<void>((resolve) => {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
        server.close(() => resolve())
        server.closeIdleConnections()
        // In-flight requests get a few seconds; then their connections are cut.
        setTimeout(() => server.closeAllConnections(), 5000).unref()
      }),
  )
  function onSignal(name: NodeJS.Signals): void {
    // Re-raise once closed so the process still ends the way the signal asks.
    void close().then(() => {
      if (process.listenerCount(name) === 0) process.kill(process.pid, name)
    })
  }
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
      reject(error)
    })
    server.listen(port, hostname, () => {
      const address = server.address()
      resolve(listening(parsed, typeof address === 'object' && address !== null ? address.port : port, close))
    })
  })
}
