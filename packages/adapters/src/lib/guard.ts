import {
  INTERNAL_ERROR_ANSWER,
  MALFORMED_REQUEST_ANSWER,
  plainResponse,
  refusesMalformedRequests,
  requestPathname,
} from '@covet/core'

/** Told of every error a handler lets escape; the client gets a bare 500 and nothing of the error. */
export type OnUnexpectedError = (error: unknown, request: Request | undefined) => void

/** The default `reportError`: the server's own log, never the client. */
export const logUnexpectedError: OnUnexpectedError = (error, request) => {
  console.error(`covet: unexpected error while answering ${request?.method ?? 'a'} request`, error)
}

/** Report `error` without letting a failing reporter take the server down. */
export function report(reportError: OnUnexpectedError, error: unknown, request?: Request): void {
  try {
    reportError(error, request)
  } catch {
    // The reporter failed too: the client still gets its 500, the server keeps serving.
  }
}

/** The bare 500 problem, for `request` when there is one. */
export function internalErrorResponse(request?: Request): Response {
  return plainResponse(INTERNAL_ERROR_ANSWER, request?.method ?? 'GET')
}

/**
 * `handler` behind the two rules every adapter keeps, whatever the handler does: a request whose
 * URL or `Host` could be read as another path is answered 400 before the handler runs (RFC 9112
 * §3.2), and an error the handler lets escape is answered with a bare 500 problem+json, reported
 * to `reportError`, never with the runtime's own error page or a stack.
 */
export function guardHandler<Req extends Request, Rest extends unknown[]>(
  handler: (request: Req, ...rest: Rest) => Response | Promise<Response>,
  reportError: OnUnexpectedError,
  /** Errors the runtime itself must see (Next.js's `redirect()`): rethrown, not answered. */
  isRuntimeSignal: (error: unknown) => boolean = () => false,
): (request: Req, ...rest: Rest) => Response | Promise<Response> {
  const answered = guardErrors(handler, reportError, isRuntimeSignal)
  // withJwtAuth without an onError hook refuses a malformed request first, with this very answer.
  if (refusesMalformedRequests(handler)) return answered
  return function guarded(request, ...rest) {
    if (requestPathname(request.url, request.headers.get('host')) === undefined) {
      return plainResponse(MALFORMED_REQUEST_ANSWER, request.method)
    }
    return rest.length === 1 ? callOne(answered, request, rest[0]) : answered(request, ...rest)
  }
}

/**
 * The second rule alone, for an adapter that made the first on the raw request (Node): an error
 * `handler` lets escape, thrown or rejected, becomes a bare 500 problem reported to `reportError`.
 */
export function guardErrors<Req extends Request, Rest extends unknown[]>(
  handler: (request: Req, ...rest: Rest) => Response | Promise<Response>,
  reportError: OnUnexpectedError,
  isRuntimeSignal: (error: unknown) => boolean = () => false,
): (request: Req, ...rest: Rest) => Response | Promise<Response> {
  const answer = (request: Req, error: unknown): Response => {
    if (isRuntimeSignal(error)) throw error
    report(reportError, error, request)
    return internalErrorResponse(request)
  }
  // Not an async function: a response given at once is handed on at once, and one given as a
  // promise costs one `then`, not an extra await.
  return function answered(request, ...rest) {
    try {
      // Spread only when it must be: JavaScriptCore allocates the array of a rest spread on every
      // call, and every runtime calls with one argument after the request.
      const response = rest.length === 1 ? callOne(handler, request, rest[0]) : handler(request, ...rest)
      if (response instanceof Response) return response
      return Promise.resolve(response).then(undefined, (error: unknown) => answer(request, error))
    } catch (error) {
      return Promise.reject(error).then(undefined, (rejected: unknown) => answer(request, rejected))
    }
  }
}

/**
 * `fn(request, argument)` for a function typed with a rest parameter: the one argument after the
 * request, passed without the array a spread would allocate.
 */
function callOne<Req, Rest extends unknown[], Result>(
  fn: (request: Req, ...rest: Rest) => Result,
  request: Req,
  argument: unknown,
): Result {
  return (fn as unknown as (request: Req, argument: unknown) => Result)(request, argument)
}
