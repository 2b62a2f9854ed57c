/**
 * The Node adapter's own answers to requests no handler may see, as RFC 9457 problems; each is
 * sent on a connection that is then closed.
 */
import { COVET_ERROR_CODES, type PlainAnswer, PROBLEM_CONTENT_TYPE } from '@covet/core'

/** A problem answer whose title is its status's reason phrase. */
export function problem(status: number, title: string, details: Record<string, unknown> = {}): PlainAnswer {
  return Object.freeze({
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify({ type: 'about:blank', title, status, ...details }),
  })
}

/** A request whose framing cannot be read: malformed, with the code of every malformed request Covet refuses. */
export const UNPARSEABLE_REQUEST = problem(400, 'Bad Request', {
  detail: 'The request could not be parsed',
  code: COVET_ERROR_CODES.REQUEST_MALFORMED,
})

/** RFC 9110 §15.6.6: a request line of another major version than HTTP/1. */
export const VERSION_NOT_SUPPORTED = problem(505, 'HTTP Version Not Supported')

/** RFC 9110 §15.6.2: TRACE, a method Fetch forbids, where no `Request` can carry it (Next.js). */
export const TRACE_NOT_IMPLEMENTED = problem(501, 'Not Implemented', { detail: 'TRACE is not served' })
