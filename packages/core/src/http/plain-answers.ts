import { MalformedRequestError } from '../errors.js'
import { answerFor, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js'

/** An answer as plain parts, for servers that must answer before (or without) a `Request`. */
export interface PlainAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const HEADERS = { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' } as const

/**
 * The 400 answer to a request whose URL, target or `Host` is malformed (RFC 9112 §3.2), exactly
 * as `withJwtAuth` gives it: an RFC 9457 problem with code `ERR_REQUEST_MALFORMED`, no challenge.
 */
export const MALFORMED_REQUEST_ANSWER: PlainAnswer = Object.freeze({
  status: 400,
  headers: HEADERS,
  body: problemBody(answerFor(new MalformedRequestError()).problem),
})

const REFUSES_MALFORMED_REQUESTS = Symbol.for('covet.refusesMalformedRequests')

/**
 * Mark `handler` as one that refuses a malformed request itself, before anything else, with
 * exactly `MALFORMED_REQUEST_ANSWER` (`withJwtAuth` without an `onError` hook): an adapter in front
 * of it need not check the same request twice.
 */
export function markRefusesMalformedRequests(handler: object): void {
  Object.defineProperty(handler, REFUSES_MALFORMED_REQUESTS, { value: true })
}

/** Whether `handler` was marked by `markRefusesMalformedRequests`. */
export function refusesMalformedRequests(handler: unknown): boolean {
  return (
    typeof handler === 'function' &&
    (handler as { [REFUSES_MALFORMED_REQUESTS]?: true })[REFUSES_MALFORMED_REQUESTS] === true
  )
}

/**
 * The answer to an error nobody handled: a bare 500 problem with no detail, so that no stack,
 * path or message reaches the client. Adapters report the error to their `onError` instead.
 */
export const INTERNAL_ERROR_ANSWER: PlainAnswer = Object.freeze({
  status: 500,
  headers: HEADERS,
  body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }),
})

/**
 * `answer` as a `Response` to a request with `method` (HEAD gets the headers only, RFC 9110 §9.3.2),
 * built with `ResponseCtor` (default: the global `Response`).
 */
export function plainResponse(
  answer: PlainAnswer,
  method: string,
  ResponseCtor: new (body: string | null, init: ResponseInit) => Response = Response,
): Response {
  return new ResponseCtor(method === 'HEAD' ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  })
}
