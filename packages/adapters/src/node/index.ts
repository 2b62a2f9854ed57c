/**
 * Serve a Fetch-API handler with `node:http` through `@whatwg-node/server`.
 * @see https://github.com/ardatan/whatwg-node/tree/master/packages/server
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import { MALFORMED_REQUEST_ANSWER, type PlainAnswer, setResponseConstructor } from '@covet/core'
import { Response as NodeFetchResponse } from '@whatwg-node/fetch'
import { createServerAdapter } from '@whatwg-node/server'
import { guardHandler, logUnexpectedError, type OnUnexpectedError } from '../lib/guard.js'
import {
  type FetchHandler,
  originOf,
  parseServeOptions,
  type RunningServer,
  type ServeOptions,
} from '../lib/serve-options.js'
import { repeatedAuthorization } from './authorization.js'
import { isMalformedRequest } from './request-line.js'

export type { OnUnexpectedError } from '../lib/guard.js'
export type { FetchHandler, RunningServer, ServeOptions } from '../lib/serve-options.js'

/** What the handler receives after the request: Node's own request and response. */
export interface NodeContext {
  req: IncomingMessage
  res: ServerResponse
  waitUntil(promise: Promise<unknown>): void
}

/** Options of `toNodeHandler`. */
export interface NodeHandlerOptions {
  /** Told of every error the handler lets escape (the client gets a bare 500). Default: `console.error`. */
  onError?: OnUnexpectedError
}

/**
 * Turn a Fetch handler into a `node:http` request listener. A request Node's parser accepts but
 * RFC 9112 §3.2 refuses (bad or repeated `Host`, a target that reads as another path) is answered
 * 400 before any `Request` is built; an error the handler lets escape is a bare 500 problem.
 * @example createServer(toNodeHandler(app)).listen(3000)
 */
export function toNodeHandler(
  handler: FetchHandler<[NodeContext]>,
  options: NodeHandlerOptions = {},
): RequestListener {
  const guarded = guardHandler(handler, options.onError ?? logUnexpectedError)
  const adapter = createServerAdapter<NodeContext>((request, context) => {
    // Node keeps only the first Authorization in req.headers; Fetch joins repeats with ", " so that
    // withJwtAuth can refuse them (RFC 6750 §2: one method, one token).
    if (context.req.headers.authorization !== undefined) {
      const joined = repeatedAuthorization(context.req.rawHeaders)
      if (joined !== undefined) request.headers.set('authorization', joined)
    }
    // Covet's own responses (401/403 problems) are then built with the adapter's Response: its fast path.
    setResponseConstructor(request, NodeFetchResponse)
    return guarded(request, context)
  }) as unknown as RequestListener
  return (req, res) => {
    if (isMalformedRequest(req)) writePlain(req, res, MALFORMED_REQUEST_ANSWER)
    else adapter(req, res)
  }
}

/** Answer on Node's own response, and close the connection: the client already broke the protocol. */
function writePlain(req: IncomingMessage, res: ServerResponse, answer: PlainAnswer): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
    connection: 'close',
  })
  res.end(req.method === 'HEAD' ? undefined : answer.body)
}

/**
 * Listen on `port` (default: a free one) and shut down gracefully on `signal`, SIGINT or SIGTERM.
 * @example const server = await serve(app, { port: 3000 })
 */
export function serve(handler: FetchHandler<[NodeContext]>, options?: ServeOptions): Promise<RunningServer> {
  const { port, hostname, signal, onListen, onError } = parseServeOptions(options)
  const server = createServer(toNodeHandler(handler, onError === undefined ? {} : { onError }))
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
      server.close(() => resolve())
      server.closeIdleConnections()
      // In-flight requests get a few seconds; then their connections are cut.
      setTimeout(() => server.closeAllConnections(), 5000).unref()
    })
    return closing
  }
  function onSignal(name: NodeJS.Signals): void {
    // Re-raise once closed so the process still ends the way the signal asks.
    void close().then(() => {
      if (process.listenerCount(name) === 0) process.kill(process.pid, name)
    })
  }
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  signal?.addEventListener('abort', () => void close(), { once: true })
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
      reject(error)
    })
    server.listen(port, hostname, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address !== null ? address.port : port
      const url = originOf(hostname, bound)
      onListen?.({ hostname, port: bound, url })
      resolve({ hostname, port: bound, url, close })
    })
  })
}
