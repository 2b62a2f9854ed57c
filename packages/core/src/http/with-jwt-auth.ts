import { DpopProofError, TokenBindingError } from '../dpop/errors.js'
import { readDpopCredentials } from '../dpop/header.js'
import type { DpopProof } from '../dpop/proof.js'
import { boundThumbprint, resourceDpop } from '../dpop/resource.js'
import { isOAuthErrorCode } from '../error-codes.js'
import {
  ConfigError,
  type CovetError,
  InvalidRequestError,
  isCovetError,
  MalformedRequestError,
  TokenInvalidError,
} from '../errors.js'
import type { JwtAuth, VerifiedToken } from '../types.js'
import { type FoundToken, findBearerToken, refusalOf } from './bearer.js'
import { assertOneProtocol, enterState } from './context.js'
import type { ErrorAnswerOptions } from './error-options.js'
import { callWith, type PackedArguments, packArguments } from './handler-arguments.js'
import { parseWithJwtAuthOptions, type WithJwtAuthOptions } from './options.js'
import { classifyPath, compilePaths, type PathKind } from './paths.js'
import { markRefusesMalformedRequests } from './plain-answers.js'
import type { ProtectedResource } from './protected-resource.js'
import { requestPathname } from './request-target.js'
import { answerError, answerWithoutCredentials } from './respond.js'
import { supplyDpopNonce } from './supply-nonce.js'

/**
 * Protect a Fetch handler with bearer or DPoP-bound JWTs. The returned handler has the same
 * signature, so it drops into `Bun.serve`, `Deno.serve`, a Next.js route or the Node adapter
 * unchanged; inside, `getAuth(request)` returns the verified identity.
 *
 * No credentials: 401 `Bearer realm="…"`; a bad token: 401 `invalid_token`; a malformed request:
 * 400 `invalid_request`; an unreachable store or key set: 503. Bodies are RFC 9457 problems. A
 * Covet error the handler throws is answered the same way when it is one of these answers; any
 * other error, an OAuth refusal (`ERR_OAUTH_*`) included, is rethrown, and the adapter answers it
 * with a bare 500.
 *
 * DPoP (RFC 9449, `dpop: 'allowed'` by default): `Authorization: DPoP <token>` with one `DPoP`
 * proof, checked as §4.3 says, its `jti` spent in `auth.revocation`. A bad proof: 401
 * `invalid_dpop_proof`; a token without `cnf.jkt`, or bound to another key, or a bound token sent
 * as Bearer: 401 `invalid_token`; challenges then use the DPoP scheme with `algs`. With nonces on,
 * a proof accepted with the previous nonce gets the current one in `DPoP-Nonce` (§9).
 *
 * @example
 * ```ts
 * export default withJwtAuth((request) => Response.json(getAuth(request)), {
 *   auth, exemptPaths: ['/login'], optionalPaths: ['/public/*'], realm: 'api',
 * })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7
 */
export function withJwtAuth<Req extends Request, Rest extends unknown[], Claims extends object>(
  handler: (request: Req, ...rest: Rest) => Response | Promise<Response>,
  options: WithJwtAuthOptions<Claims>,
): (request: Req, ...rest: Rest) => Response | Promise<Response> {
  if (typeof handler !== 'function') throw new ConfigError('handler', 'must be a function')
  // Another copy of @covet/core that keeps request state differently would hide identities: say so now.
  assertOneProtocol()
  const parsed = parseWithJwtAuthOptions(options)
  const auth = options.auth
  // An object of its own that implements only `verifyToken` is served through it.
  const verifyNow: JwtAuth<Claims>['verifyTokenNow'] =
    typeof auth.verifyTokenNow === 'function'
      ? (token, verifyOptions) => auth.verifyTokenNow(token, verifyOptions)
      : (token, verifyOptions) => auth.verifyToken(token, verifyOptions)
  const exempt = compilePaths('exemptPaths', parsed.exemptPaths)
  const optional = compilePaths('optionalPaths', parsed.optionalPaths)
  const matchPaths = parsed.exemptPaths.length > 0 || parsed.optionalPaths.length > 0
  const sources = parsed.tokenSources
  const corsPreflight = parsed.corsPreflight
  const resource =
    typeof parsed.resourceMetadata === 'object' ? (parsed.resourceMetadata as ProtectedResource) : undefined
  const dpop = resourceDpop(options.dpop, auth.revocation)
  // The parsed option keeps only what serving needs: the metadata is read from the one given.
  const metadata = (options.resourceMetadata as ProtectedResource | undefined)?.metadata
  if (dpop?.required && resource !== undefined && metadata?.dpop_bound_access_tokens_required !== true) {
    // RFC 9728 §2: metadata that omits it tells clients bearer tokens will do.
    throw new ConfigError(
      'resourceMetadata',
      'must set dpopBoundAccessTokensRequired when dpop is "required"',
    )
  }
  const errors: ErrorAnswerOptions = {
    realm: parsed.realm,
    resourceMetadata: resource?.metadataUrl ?? (parsed.resourceMetadata as string | undefined),
    onError: options.onError,
    ...(dpop && { scheme: dpop.required ? 'dpop' : 'both', dpopAlgorithms: dpop.verifier.algorithms }),
  }
  // RFC 9449 §7.1: the answers to a request that used DPoP challenge in DPoP.
  const dpopErrors: ErrorAnswerOptions = { ...errors, scheme: 'dpop' }
  // Most requests to one handler share a path: the last one's kind is kept (the patterns never change).
  let lastPath: string | undefined
  let lastKind: PathKind = 'protected'

  /**
   * The handler, with the identity (if any) and the options `answers` on the request: guards inside
   * it answer through `respondWithError`, which reads them there.
   */
  function run(
    request: Req,
    rest: PackedArguments,
    answers: ErrorAnswerOptions,
    info?: VerifiedToken<Claims>,
  ): Response | Promise<Response> {
    enterState(request, answers, info)
    // Not an async function: a handler that answers at once costs no promise here.
    try {
      const response = callWith(handler, request, rest)
      if (response instanceof Response) return response
      return Promise.resolve(response).then(undefined, (error: unknown) =>
        answerThrown(request, error, answers),
      )
    } catch (error) {
      return answerThrown(request, error, answers)
    }
  }

  /**
   * A Covet error the handler lets through is answered like ours; anything else is the app's (an
   * adapter answers it with a bare 500).
   */
  function answerThrown(
    request: Req,
    error: unknown,
    answers: ErrorAnswerOptions,
  ): Response | Promise<Response> {
    if (isAnswerable(error)) return answerError(request, error, answers)
    throw error
  }

  // withJwtAuth's own answers take its options as an argument; only a request that reaches the
  // handler carries them, for the guards. Not an async function: a token the verified-token cache
  // answers at once, and a handler that answers at once, cost no promise; errors still reject.
  function covetProtectedHandler(request: Req, ...rest: Rest): Response | Promise<Response> {
    try {
      // One argument after the request (every runtime's case) is carried on as it is, not in an array.
      return protect(request, packArguments(rest))
    } catch (error) {
      return Promise.reject(error)
    }
  }
  // Without a hook to change it, a malformed request gets the adapters' very answer from here first.
  if (options.onError === undefined) markRefusesMalformedRequests(covetProtectedHandler)
  return covetProtectedHandler

  function protect(request: Req, rest: PackedArguments): Response | Promise<Response> {
    // Decide on the path the application's router will see, and refuse a request whose raw URL or
    // Host could be read as another path (RFC 9112 §3.2), before any handler runs.
    const path = requestPathname(request.url, request.headers.get('host'))
    if (path === undefined) return answerError(request, MALFORMED_REQUEST, errors)
    if (
      corsPreflight &&
      request.method === 'OPTIONS' &&
      request.headers.has('access-control-request-method')
    ) {
      return run(request, rest, errors)
    }
    if (resource !== undefined && path === resource.path) return resource.handler(request)
    const kind = matchPaths ? kindOf(path) : 'protected'
    if (kind === 'exempt') return run(request, rest, errors)

    let found: FoundToken | undefined
    let dpopToken: string | undefined
    try {
      found = findBearerToken(request, sources)
      // RFC 9449 §7.1: the DPoP scheme is looked for only where no Bearer header was found.
      if (dpop !== undefined && found?.source !== 'header') {
        dpopToken = readDpopCredentials(request.headers.get('authorization'))
        if (dpopToken !== undefined && found !== undefined) {
          throw new InvalidRequestError('The access token was sent in more than one way')
        }
      }
    } catch (error) {
      return answerError(request, asVerificationError(error), errors)
    }
    if (dpopToken !== undefined) return withProof(request, rest, dpopToken)
    const token = found?.token
    if (token === undefined) {
      if (kind === 'optional') return run(request, rest, errors)
      // RFC 6750 §3.1: no credentials, so the challenge carries no error code.
      return answerWithoutCredentials(request, errors)
    }

    // RFC 9449 §7.1: where DPoP is required, a bearer token is refused unread.
    if (dpop?.required) return answerError(request, BINDING, errors)
    let verified: VerifiedToken<Claims> | Promise<VerifiedToken<Claims>>
    try {
      verified = verifyNow(token, ACCESS)
    } catch (error) {
      return refuse(request, token, error)
    }
    if (!(verified instanceof Promise)) return admit(request, rest, verified)
    return verified.then(
      (info) => admit(request, rest, info),
      (error: unknown) => refuse(request, token, error),
    )
  }

  /**
   * The answer to a token verification refused: 400 or 401 (RFC 6750 §3.1), bearer.ts decides.
   * Whatever verification throws becomes a safe 400/401/503 answer, never a 500.
   */
  function refuse(request: Req, token: string, error: unknown): Response | Promise<Response> {
    return answerError(request, refusalOf(token, asVerificationError(error)), errors)
  }

  function kindOf(path: string): PathKind {
    if (path !== lastPath) {
      lastKind = classifyPath(path, exempt, optional)
      lastPath = path
    }
    return lastKind
  }

  /** A verified bearer token's request, to the handler. */
  function admit(
    request: Req,
    rest: PackedArguments,
    info: VerifiedToken<Claims>,
  ): Response | Promise<Response> {
    // RFC 9449 §7.2: a sender-constrained token (`cnf`) is never a bearer token, whatever the mode.
    if (info.claims.cnf !== undefined) {
      return answerError(request, BINDING, dpop !== undefined ? dpopErrors : errors)
    }
    return run(request, rest, errors, info)
  }

  /** RFC 9449 §7: a DPoP-bound token and the proof of its key; every answer in the DPoP scheme. */
  async function withProof(request: Req, rest: PackedArguments, token: string): Promise<Response> {
    let info: VerifiedToken<Claims>
    let proof: DpopProof | undefined
    try {
      info = await auth.verifyToken(token, ACCESS)
      const jkt = boundThumbprint(info.claims)
      // RFC 9449 §7.1: the DPoP scheme carries only tokens bound to a key.
      if (jkt === undefined) throw BINDING
      proof = await dpop!.verifier.verify(request, { accessToken: token, jkt })
      if (proof === undefined) throw new DpopProofError('missing')
    } catch (error) {
      return answerError(request, asVerificationError(error), dpopErrors)
    }
    // RFC 9449 §9: a proof with the previous nonce is answered with the current one.
    if (proof.freshNonce !== undefined)
      return supplyDpopNonce(request, run(request, rest, dpopErrors, info), proof.freshNonce)
    return run(request, rest, dpopErrors, info)
  }
}

/** Shared: what `withJwtAuth` verifies is an access token (RFC 9068 §2.1). */
const ACCESS = { type: 'access' } as const

/** Shared: the answer to a token used without the proof of its key depends on nothing of the request. */
const BINDING = new TokenBindingError()

/** Shared: the answer to a malformed request depends on nothing of the request. */
const MALFORMED_REQUEST = new MalformedRequestError()

const ANSWERABLE = new Set([400, 401, 403, 503])

/**
 * A Covet error that is one of withJwtAuth's own answers. An OAuth refusal (`ERR_OAUTH_*`, from
 * `@covet/oauth2`) is not, whatever its status: a 401 `invalid_client` says nothing about the
 * access token, and answering it `invalid_token` would tell the client to drop a good one.
 */
function isAnswerable(error: unknown): error is CovetError {
  return isCovetError(error) && ANSWERABLE.has(error.status) && !isOAuthErrorCode(error.code)
}

function asVerificationError(error: unknown): CovetError {
  if (isAnswerable(error) || error instanceof ConfigError) return error
  return new TokenInvalidError('malformed', 'The token is invalid', { cause: error })
}
