import { OAuthError } from '../errors.js'

/** RFC 6749 §5.1: token responses, and errors about them, must not be cached. */
export const NO_STORE: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
}

/** A JSON response with the no-store headers and any extra ones. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...NO_STORE, ...headers },
  })
}

/** The RFC 6749 §5.2 error body for `error`, with its status and headers. */
export function errorResponse(error: OAuthError): Response {
  return jsonResponse({ error: error.error, error_description: error.description }, error.status, {
    ...error.headers,
  })
}

/** RFC 9110 §15.5.6: 405 must list the allowed methods in `Allow`. */
export function methodNotAllowed(allow: string): Response {
  return errorResponse(
    new OAuthError('invalid_request', `This endpoint accepts only ${allow}`, 405, { allow }),
  )
}
