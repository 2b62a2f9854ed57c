import type { DpopErrorCode } from '../dpop/challenge.js'
import type { CovetError, CovetErrorCode } from '../errors.js'

/** An RFC 9457 problem details object, with Covet's stable `code` as an extension member. */
export interface ProblemDetails {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: CovetErrorCode
}

/** How one error is answered over HTTP. */
export interface ErrorAnswer {
  readonly status: number
  /** RFC 6750 §3.1 (or RFC 9449 §7.1) code for the challenge; undefined when no code is sent. */
  readonly bearerError: DpopErrorCode | undefined
  /** Whether a `WWW-Authenticate` challenge goes with the answer. */
  readonly challenge: boolean
  readonly problem: ProblemDetails
}

/** The media type of problem bodies (RFC 9457 §3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  413: 'Content Too Large',
  503: 'Service Unavailable',
}

// Token failures get fixed wording, never the error's own message: only an expired token may say
// "expired", so a forged token's answer can never hint at its claims.
const TOKEN_DETAILS: Partial<Record<CovetErrorCode, string>> = {
  ERR_TOKEN_EXPIRED: 'The access token expired',
  ERR_TOKEN_REVOKED: 'The access token has been revoked',
  ERR_REFRESH_REUSED: 'The access token has been revoked',
  ERR_TOKEN_TYPE: 'The token is not an access token',
  ERR_TOKEN_BINDING: 'The access token must be sent with a DPoP proof of the key it is bound to',
}
// RFC 9449 §7.1, §9: the codes of refused proofs.
const DPOP_ERRORS: Partial<Record<CovetErrorCode, DpopErrorCode>> = {
  ERR_DPOP_PROOF_INVALID: 'invalid_dpop_proof',
  ERR_DPOP_NONCE: 'use_dpop_nonce',
}
const INVALID_TOKEN_DETAIL = 'The access token is invalid'
const UNAVAILABLE_DETAIL = 'Credentials cannot be verified right now; try again later'

/**
 * How `error` is answered: status, RFC 6750 error code and RFC 9457 body. Errors that are not the
 * client's fault (an unreachable store or key set) are 503 with no Bearer error code.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function answerFor(error: CovetError): ErrorAnswer {
  const status = statusOf(error)
  // RFC 6750 §3: outages are not the client's credentials' fault, so they carry no challenge; nor
  // does a malformed request (RFC 9112 §3.2) or one too large to read (RFC 9110 §15.5.14), which
  // are refused whatever their credentials.
  const challenge = status !== 503 && status !== 413 && error.code !== 'ERR_REQUEST_MALFORMED'
  const bearerError = challenge ? bearerErrorOf(error, status) : undefined
  const problem: ProblemDetails = {
    // RFC 9457 §4.2.1: with "about:blank" the title is the status phrase; `code` tells errors apart.
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: detailOf(error, status, bearerError),
    code: error.code,
  }
  return { status, bearerError, challenge, problem }
}

/** The JSON text of a problem body. */
export function problemBody(problem: ProblemDetails): string {
  return JSON.stringify(problem)
}

function statusOf(error: CovetError): number {
  const status = error.status
  if (status === 400 || status === 401 || status === 403 || status === 413 || status === 503) return status
  // Anything else that reaches the HTTP layer is an answer the client cannot act on: 503.
  return 503
}

function bearerErrorOf(error: CovetError, status: number): DpopErrorCode | undefined {
  // RFC 6750 §3.1: a request without credentials gets a challenge with no error code.
  if (error.code === 'ERR_CREDENTIALS_MISSING') return undefined
  const dpop = DPOP_ERRORS[error.code]
  if (dpop !== undefined) return dpop
  if (error.bearerError !== undefined) return error.bearerError
  if (status === 400) return 'invalid_request'
  if (status === 403) return 'insufficient_scope'
  return 'invalid_token'
}

function detailOf(error: CovetError, status: number, bearerError: DpopErrorCode | undefined): string {
  if (status === 503) return UNAVAILABLE_DETAIL
  if (error.code === 'ERR_CREDENTIALS_MISSING') return 'Authentication is required'
  if (bearerError === 'invalid_token') return TOKEN_DETAILS[error.code] ?? INVALID_TOKEN_DETAIL
  // invalid_request, insufficient_scope, DPoP proof and body-size messages are written by Covet
  // and hold no secret.
  return error.message
}
