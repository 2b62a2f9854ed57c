import { dpopChallenge } from '../dpop/challenge.js'
import { type CovetError, type CovetErrorCode, CredentialsMissingError } from '../errors.js'
import { bearerChallenge } from './challenge.js'
import { readState } from './context.js'
import { defaultErrorAnswerOptions, type ErrorAnswerOptions } from './error-options.js'
import { answerFor, type ErrorAnswer, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js'
import { createResponse } from './response.js'

/** An error answer ready to send: the parts that do not change from one request to the next. */
interface PreparedAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

// The answer to most errors depends only on their code and the options: it is built once. Those
// to malformed requests, missing scopes, oversized bodies and refused DPoP proofs carry the error's
// own message, scope, limit or nonce, so they are not.
const VARYING: ReadonlySet<CovetErrorCode> = new Set([
  'ERR_INVALID_REQUEST',
  'ERR_INSUFFICIENT_SCOPE',
  'ERR_BODY_TOO_LARGE',
  'ERR_DPOP_PROOF_INVALID',
  'ERR_DPOP_NONCE',
])
const prepared = new WeakMap<ErrorAnswerOptions, Map<CovetErrorCode, PreparedAnswer>>()
let missingCredentials: CredentialsMissingError | undefined

/**
 * The HTTP answer to `error` for `request`: status, `WWW-Authenticate` challenge (RFC 6750 §3)
 * and an RFC 9457 problem body, shaped by the options (`realm`, `resourceMetadata`, `onError`)
 * of the `withJwtAuth` that let `request` through to the handler, or by defaults when none did.
 * `HEAD` gets the headers only. Guards call it with `InsufficientScopeError` (403) or
 * `CredentialsMissingError`; `withJwtAuth` answers its own refusals with its options directly.
 *
 * @example
 * ```ts
 * if (!who.scopes.includes('write')) return respondWithError(request, new InsufficientScopeError(['write']))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3
 */
export function respondWithError(request: Request, error: CovetError): Response | Promise<Response> {
  return answerError(request, error, readState(request)?.errors ?? defaultErrorAnswerOptions)
}

/** The answer to `error` shaped by `options`: the one place an error becomes a response. */
export function answerError(
  request: Request,
  error: CovetError,
  options: ErrorAnswerOptions,
): Response | Promise<Response> {
  if (options.onError === undefined) return defaultAnswer(request, error, options)
  return customAnswer(request, error, options)
}

/** The answer to a request without credentials; builds no error unless a hook wants one. */
export function answerWithoutCredentials(
  request: Request,
  options: ErrorAnswerOptions,
): Response | Promise<Response> {
  if (options.onError !== undefined) return customAnswer(request, new CredentialsMissingError(), options)
  missingCredentials ??= new CredentialsMissingError()
  return defaultAnswer(request, missingCredentials, options)
}

async function customAnswer(
  request: Request,
  error: CovetError,
  options: ErrorAnswerOptions,
): Promise<Response> {
  const custom = await options.onError?.(error, request)
  return custom ?? defaultAnswer(request, error, options)
}

/** The answer Covet gives to `error` when no hook replaces it. */
function defaultAnswer(request: Request, error: CovetError, options: ErrorAnswerOptions): Response {
  const answer = VARYING.has(error.code) ? prepare(error, options) : preparedFor(error, options)
  // RFC 9110 §9.3.2: the answer to HEAD carries the headers of GET and no content.
  const body = request.method === 'HEAD' ? null : answer.body
  return createResponse(request, body, { status: answer.status, headers: answer.headers })
}

function preparedFor(error: CovetError, options: ErrorAnswerOptions): PreparedAnswer {
  let byCode = prepared.get(options)
  if (byCode === undefined) {
    byCode = new Map()
    prepared.set(options, byCode)
  }
  let answer = byCode.get(error.code)
  if (answer === undefined) {
    answer = prepare(error, options)
    byCode.set(error.code, answer)
  }
  return answer
}

function prepare(error: CovetError, options: ErrorAnswerOptions): PreparedAnswer {
  const answer = answerFor(error)
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
  }
  if (answer.challenge) headers['www-authenticate'] = challengeOf(error, answer, options)
  // RFC 9449 §9: the nonce to put in the next proof.
  if (error.code === 'ERR_DPOP_NONCE') headers['dpop-nonce'] = String((error as { nonce?: unknown }).nonce)
  return { status: answer.status, headers, body: problemBody(answer.problem) }
}

/** The `WWW-Authenticate` value: Bearer (RFC 6750 §3), DPoP (RFC 9449 §7.1), or both schemes. */
function challengeOf(error: CovetError, answer: ErrorAnswer, options: ErrorAnswerOptions): string {
  const params = {
    realm: options.realm,
    error: answer.bearerError,
    errorDescription: answer.bearerError === undefined ? undefined : answer.problem.detail,
    scope: error.code === 'ERR_INSUFFICIENT_SCOPE' ? requiredScope(error) : undefined,
    resourceMetadata: options.resourceMetadata,
  }
  const algs = options.dpopAlgorithms ?? []
  if (options.scheme === 'dpop') return dpopChallenge({ ...params, algs })
  // A DPoP error code reaches a Bearer challenge only from a handler that threw one: sent as it is.
  const bearer = bearerChallenge(params as Parameters<typeof bearerChallenge>[0])
  // RFC 9449 §7.1: where both schemes are accepted, a request without credentials is offered both.
  if (options.scheme === 'both' && answer.bearerError === undefined) {
    return `${bearer}, ${dpopChallenge({ realm: options.realm, algs, resourceMetadata: options.resourceMetadata })}`
  }
  return bearer
}

function requiredScope(error: CovetError): readonly string[] | undefined {
  const required = (error as { required?: unknown }).required
  return Array.isArray(required) ? required.filter((s): s is string => typeof s === 'string') : undefined
}
