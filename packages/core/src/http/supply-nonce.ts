import { createResponse } from './response.js'

const DPOP_NONCE = 'DPoP-Nonce'

/**
 * The handler's answer to `request` with `DPoP-Nonce: nonce` (RFC 9449 §9: a resource may supply a
 * new nonce in any answer, sparing the client a 401 when the nonce rotates). A `DPoP-Nonce` the
 * handler set is kept; a rejection passes through unchanged.
 */
export function supplyDpopNonce(
  request: Request,
  response: Response | Promise<Response>,
  nonce: string,
): Response | Promise<Response> {
  if (response instanceof Response) return withNonce(request, response, nonce)
  return response.then((answer) => withNonce(request, answer, nonce))
}

/**
 * `response` with the header set; headers that cannot change (`Response.redirect()`, an answer
 * from `fetch`) are copied into a new Response. Whatever fails, the answer goes out as it was.
 */
function withNonce(request: Request, response: Response, nonce: string): Response {
  try {
    if (!response.headers.has(DPOP_NONCE)) response.headers.set(DPOP_NONCE, nonce)
    return response
  } catch {
    // Fetch's "immutable" headers guard: the same answer, rebuilt around a copy of its headers.
    try {
      const headers = new Headers(response.headers)
      headers.set(DPOP_NONCE, nonce)
      return createResponse(request, response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      })
    } catch {
      return response
    }
  }
}
