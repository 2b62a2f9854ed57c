import { type CovetError, isCovetError, respondWithError } from '@covet/core'
import { errorResponse } from './responses.js'
import { toOAuthError } from './to-oauth-error.js'

/**
 * Whether `error` is core's refusal of a body over the limit (`ERR_BODY_TOO_LARGE`). It is
 * answered 413 problem+json, as on every Covet route: RFC 6749 §5.2 has no error for it.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14
 */
export function isBodyTooLarge(error: unknown): error is CovetError {
  return isCovetError(error) && error.code === 'ERR_BODY_TOO_LARGE'
}

/**
 * The answer to anything an endpoint throws: a body over the limit is 413 problem+json; any
 * other failure an RFC 6749 §5.2 error, unexpected ones told to `reportError`.
 */
export function failureResponse(
  request: Request,
  error: unknown,
  reportError?: (error: unknown) => void,
): Response | Promise<Response> {
  if (isBodyTooLarge(error)) return respondWithError(request, error)
  return errorResponse(toOAuthError(error, reportError))
}
