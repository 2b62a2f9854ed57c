import type { AttemptLimiter, JwtAuth, TokenPair } from '@covet/core'
import { InvalidArgumentError } from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import type { RegisteredClient } from '../clients/types.js'
import { AuthSchema, LimiterSchema } from '../endpoints/options.js'
import { resolveLoginLimits } from '../grants/limits.js'
import { runGrant } from '../grants/run.js'
import type { GrantContext, VerifyUser } from '../grants/types.js'
import { isScopeToken } from '../lib/scope.js'
import { refusedOrThrow, scopeForm } from './refusal.js'

/** The client a password flow issues tokens to: your own application, known without a secret. */
export interface PasswordFlowClient {
  /** Written into the tokens as `client_id`; login attempts are also counted per client under it. */
  clientId: string
  /** Scopes the application may request for its users. Default: none, as for a registered client. */
  scopes?: readonly string[]
  /** Scopes granted when `authenticate` is given none (RFC 6749 §3.3). Default: none. */
  defaultScopes?: readonly string[]
}

/** Options of `OAuth2PasswordFlow`: the password grant's, without HTTP. */
export interface PasswordFlowOptions {
  auth: JwtAuth<object>
  /** Checks a username and password, exactly as the token endpoint's `verifyUser`. */
  verifyUser: VerifyUser
  client: PasswordFlowClient
  /**
   * Login attempts per username, as the token endpoint's `limiter`. Default: the in-memory one
   * shared with every endpoint created with the same `auth`, so both spend one budget. `false`: off.
   */
  limiter?: AttemptLimiter | false
  /** Login attempts per client, as the token endpoint's `clientLimiter`. `false`: off. */
  clientLimiter?: AttemptLimiter | false
}

const ScopeList = v.array(
  v.pipe(v.string(), v.check(isScopeToken, 'must be valid scope tokens (RFC 6749 §3.3)')),
)

const OptionsSchema = v.object({
  auth: AuthSchema,
  verifyUser: v.custom<VerifyUser>((value) => typeof value === 'function', 'must be a function'),
  client: v.pipe(
    v.object(
      {
        clientId: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
        scopes: v.optional(ScopeList),
        defaultScopes: v.optional(ScopeList),
      },
      'must be an object with a clientId',
    ),
    v.check(
      (c) => (c.defaultScopes ?? []).every((s) => (c.scopes ?? []).includes(s)),
      'defaultScopes must be among scopes',
    ),
  ),
  limiter: v.optional(LimiterSchema),
  clientLimiter: v.optional(LimiterSchema),
})

/**
 * The resource owner password flow (RFC 6749 §4.3) without HTTP: the token endpoint's password
 * grant, run for one client of your own. The same rules hold: scopes within the client's and
 * narrowed to the user's, attempts counted per username and per client before the password is
 * checked (429 once a limit is reached). Mount `createTokenEndpoint` to offer it over HTTP.
 *
 * @example
 * const flow = new OAuth2PasswordFlow({ auth, verifyUser, client: { clientId: 'my-app', scopes: ['read'] } })
 * const pair = await flow.authenticate('alice', 'correct horse', ['read']) // TokenPair | null
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 */
export class OAuth2PasswordFlow {
  readonly #context: GrantContext
  readonly #client: RegisteredClient

  constructor(options: PasswordFlowOptions) {
    const config = parseOptions(OptionsSchema, options)
    this.#context = {
      auth: config.auth,
      verifyUser: config.verifyUser,
      records: undefined,
      ...resolveLoginLimits(config.auth, { limiter: config.limiter, clientLimiter: config.clientLimiter }),
    }
    this.#client = Object.freeze({
      clientId: config.client.clientId,
      // A first-party login keeps its session: tokens come as a pair, as for a client listing refresh_token.
      grantTypes: new Set(['password', 'refresh_token'] as const),
      scopes: new Set(config.client.scopes ?? []),
      defaultScopes: Object.freeze([...(config.client.defaultScopes ?? [])]),
      roles: Object.freeze([]),
      permissions: Object.freeze([]),
      introspectAny: false,
    })
  }

  /**
   * A token pair for valid credentials, `null` for wrong ones or a refused scope (beyond the
   * client's, or none the user may hold). Throws the grant's `OAuthError` (`ERR_OAUTH_TEMPORARILY_UNAVAILABLE`,
   * 429, `Retry-After` in `headers`) when the username or the client is over its limit.
   */
  async authenticate(
    username: string,
    password: string,
    scopes: readonly string[] = [],
  ): Promise<TokenPair | null> {
    if (typeof username !== 'string' || typeof password !== 'string' || !Array.isArray(scopes)) {
      throw new InvalidArgumentError('username and password must be strings and scopes an array')
    }
    const form = scopeForm(scopes, { grant_type: 'password', username, password })
    try {
      const body = await runGrant('password', this.#context, this.#client, form, undefined)
      return {
        accessToken: body.access_token,
        refreshToken: body.refresh_token!,
        tokenType: 'Bearer',
        expiresIn: body.expires_in,
        refreshExpiresIn: this.#context.auth.refreshTokenTtl,
        scope: body.scope,
      }
    } catch (error) {
      return refusedOrThrow(error)
    }
  }
}
