import {
  type AttemptLimiter,
  ConfigError,
  createDpopVerifier,
  type DpopOptions,
  type JwtAuth,
  respondWithError,
} from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import { recordsOf } from '../authorize/records.js'
import { authenticateClient } from '../clients/authenticate.js'
import { readClientCredentials } from '../clients/credentials.js'
import type { ClientConfig, ClientRegistry, GrantType } from '../clients/types.js'
import { invalidRequest, OAuthError } from '../errors.js'
import { resolveLoginLimits } from '../grants/limits.js'
import { GRANTS, runGrant } from '../grants/run.js'
import type { DpopBinding, GrantContext, VerifyUser } from '../grants/types.js'
import { isBodyTooLarge } from '../lib/failure.js'
import { readForm } from '../lib/form.js'
import { errorResponse, jsonResponse, methodNotAllowed } from '../lib/responses.js'
import { isScopeToken } from '../lib/scope.js'
import { toOAuthError } from '../lib/to-oauth-error.js'
import { RequestObservers, type TokenEndpoint, type TokenRequestOutcome } from './observe.js'
import {
  AuthSchema,
  ClientsSchema,
  LimiterSchema,
  RENAMED,
  RealmSchema,
  ReportErrorSchema,
  toRegistry,
} from './options.js'

export type { TokenEndpoint, TokenEndpointObserver, TokenRequestOutcome } from './observe.js'

export interface TokenEndpointOptions {
  auth: JwtAuth<object>
  /** The clients, or a registry shared with the revocation and introspection endpoints. */
  clients: ClientRegistry | readonly ClientConfig[]
  /** Required when a client may use the password grant. */
  verifyUser?: VerifyUser
  /** Every scope the server knows; a client listing another is a configuration error. */
  scopes?: readonly string[]
  /**
   * Login attempts per username; at the limit the username is refused (429) whatever its password.
   * Default: in memory, 10 per 15 minutes, shared with every endpoint created with the same `auth`
   * (the authorization endpoint's login page). `false`: off.
   */
  limiter?: AttemptLimiter | false
  /**
   * Login attempts per client, across usernames; once spent, only usernames without a failure in
   * their window are checked, so other users' failures never refuse a right password. Default: in
   * memory, 1,000 per 15 minutes. `false`: off.
   */
  clientLimiter?: AttemptLimiter | false
  /**
   * Where a request comes from, such as the peer address or the address a trusted proxy reports;
   * `undefined` when unknown. Given, login attempts are also counted per source, as per client.
   */
  sourceKey?: (request: Request) => string | undefined
  /** Login attempts per source (with `sourceKey`). Default: in memory, 100 per 15 minutes. `false`: off. */
  sourceLimiter?: AttemptLimiter | false
  /** The realm of the Basic challenge sent with `invalid_client`. Default `'oauth2'`. */
  realm?: string
  /**
   * Told of unexpected failures, which the client gets as a bare 500 or 503 `server_error` /
   * `temporarily_unavailable` without details. It only observes. Default: none.
   */
  reportError?: (error: unknown) => void
  /**
   * DPoP (RFC 9449 §5): a token request carrying a `DPoP` proof, under any grant, gets an access
   * token bound to the proof's key (`cnf.jkt`, `token_type: "DPoP"`), and a public client's
   * refresh token is bound too. Proofs are checked as at a resource (`typ`, `alg`, `htm`, `htu`,
   * `iat`, single use through `auth.revocation`); `nonce` makes the endpoint hand out and require
   * nonces (§8). Default: proofs accepted, no nonce. `false`: the `DPoP` header is ignored.
   */
  dpop?: DpopOptions | false
}

const OptionsSchema = v.object({
  auth: AuthSchema,
  clients: ClientsSchema,
  verifyUser: v.optional(v.custom<VerifyUser>((value) => typeof value === 'function', 'must be a function')),
  scopes: v.optional(v.array(v.pipe(v.string(), v.check(isScopeToken, 'must be valid scope tokens')))),
  limiter: v.optional(LimiterSchema),
  clientLimiter: v.optional(LimiterSchema),
  sourceKey: v.optional(
    v.custom<(request: Request) => string | undefined>(
      (value) => typeof value === 'function',
      'must be a function',
    ),
  ),
  sourceLimiter: v.optional(LimiterSchema),
  realm: v.optional(RealmSchema, 'oauth2'),
  reportError: v.optional(ReportErrorSchema),
  // Checked by createDpopVerifier.
  dpop: v.optional(v.union([v.literal(false), v.looseObject({})]), {}),
})

/**
 * The token endpoint (RFC 6749 §3.2) as a Fetch handler: grants `authorization_code` (with
 * PKCE, codes from `createAuthorizationEndpoint`), `password`, `client_credentials` and
 * `refresh_token`; confidential clients authenticated by `client_secret_basic` or
 * `client_secret_post`, public ones (`tokenEndpointAuthMethod: 'none'`) by `client_id` alone;
 * errors exactly as §5.2, never cached. A request with a DPoP proof gets DPoP-bound tokens under
 * every grant (RFC 9449 §5); a bad proof is 400 `invalid_dpop_proof`.
 *
 * @example
 * const token = createTokenEndpoint({
 *   auth,
 *   clients: [{ clientId: 'web', secretHash, grantTypes: ['password', 'refresh_token'], scopes: ['read'] }],
 *   verifyUser: async (username, password) => (await users.check(username, password)) ? { subject: username } : null,
 * })
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  const config = parseOptions(OptionsSchema, options, { renamed: RENAMED })
  const registry = toRegistry(config.clients)
  if (registry.grantTypes.has('password') && config.verifyUser === undefined) {
    throw new ConfigError('verifyUser', 'is required when a client may use the password grant')
  }
  if (config.scopes !== undefined) {
    const known = new Set(config.scopes)
    const unknown = [...registry.scopes].find((scope) => !known.has(scope))
    if (unknown !== undefined)
      throw new ConfigError('scopes', 'does not list every scope the clients may request')
  }
  const context: GrantContext = {
    auth: config.auth,
    verifyUser: config.verifyUser,
    // Codes live in the store the authorization endpoint writes them to: the same `auth`'s.
    records: registry.grantTypes.has('authorization_code') ? recordsOf(config.auth.revocation) : undefined,
    ...resolveLoginLimits(config.auth, config),
  }
  const dpop =
    config.dpop === false
      ? undefined
      : createDpopVerifier({ ...(config.dpop as DpopOptions), store: config.auth.revocation })

  const observers = new RequestObservers()

  /** Answers one request, noting in `seen` what an observer is told: the grant, the client, the error. */
  async function answer(request: Request, seen: Seen): Promise<Response> {
    // RFC 6749 §3.2: the client must use POST.
    if (request.method !== 'POST') {
      seen.error = 'invalid_request'
      return methodNotAllowed('POST')
    }
    try {
      const form = await readForm(request)
      const credentials = readClientCredentials(request, form)
      const grantType = form.get('grant_type')
      if (grantType === undefined) throw invalidRequest('grant_type is required')
      if (!Object.hasOwn(GRANTS, grantType) || !registry.grantTypes.has(grantType as GrantType)) {
        throw new OAuthError('unsupported_grant_type', 'The grant type is not supported')
      }
      seen.grantType = grantType as GrantType
      const client = await authenticateClient(credentials, registry, config.realm)
      seen.clientId = client.clientId
      // RFC 9449 §5: a proof binds whatever this request issues; checked before any grant runs.
      const proof = await dpop?.verify(request)
      if (proof === undefined && client.dpopBoundAccessTokens === true) {
        throw invalidRequest('This client must send a DPoP proof')
      }
      const binding: DpopBinding | undefined = proof && {
        jkt: proof.jkt,
        bindRefreshToken: client.tokenEndpointAuthMethod === 'none',
      }
      const body = await runGrant(
        grantType as GrantType,
        { ...context, dpop: binding },
        client,
        form,
        request,
      )
      // RFC 9449 §8: a fresh nonce with every answer, so that the client's next proof carries it.
      const nonce = await dpop?.nonce()
      return jsonResponse(body, 200, nonce === undefined ? {} : { 'dpop-nonce': nonce })
    } catch (error) {
      if (isBodyTooLarge(error)) {
        seen.error = 'invalid_request'
        return respondWithError(request, error)
      }
      const refusal = toOAuthError(error, config.reportError)
      seen.error = refusal.error
      return errorResponse(refusal)
    }
  }

  async function tokenEndpoint(request: Request): Promise<Response> {
    const ends = observers.start()
    const seen: Seen = { grantType: undefined, clientId: undefined, error: undefined }
    const response = await answer(request, seen)
    if (ends !== undefined) observers.end(ends, { ...seen, status: response.status })
    return response
  }
  return Object.assign(tokenEndpoint, { observe: observers.add.bind(observers) })
}

type Seen = { -readonly [K in Exclude<keyof TokenRequestOutcome, 'status'>]: TokenRequestOutcome[K] }
