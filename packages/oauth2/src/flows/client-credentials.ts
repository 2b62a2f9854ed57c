import type { JwtAuth } from '@covet/core'
import { InvalidArgumentError } from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import { authenticateClient } from '../clients/authenticate.js'
import type { ClientConfig, ClientRegistry } from '../clients/types.js'
import { AuthSchema, ClientsSchema, toRegistry } from '../endpoints/options.js'
import { runGrant } from '../grants/run.js'
import type { GrantContext } from '../grants/types.js'
import { refusedOrThrow, scopeForm } from './refusal.js'

/** Options of `OAuth2ClientCredentialsFlow`. */
export interface ClientCredentialsFlowOptions {
  auth: JwtAuth<object>
  /** The clients, or a registry shared with the token endpoint: the one place a client's rules live. */
  clients: ClientRegistry | readonly ClientConfig[]
}

/** An access token for a client (RFC 6749 §4.4.3: never with a refresh token). */
export interface ClientCredentialsToken {
  readonly accessToken: string
  readonly tokenType: 'Bearer'
  /** Seconds. */
  readonly expiresIn: number
  readonly scope: string | undefined
}

const OptionsSchema = v.object({ auth: AuthSchema, clients: ClientsSchema })

/**
 * The client credentials flow (RFC 6749 §4.4) without HTTP: the token endpoint's client
 * authentication and `client_credentials` grant, for a client of the registry. The same rules
 * hold: the client must list the grant, and may ask only for its own scopes (none when it lists none).
 *
 * @example
 * const flow = new OAuth2ClientCredentialsFlow({ auth, clients: [{ clientId: 'batch', secretHash, grantTypes: ['client_credentials'], scopes: ['reports'] }] })
 * const token = await flow.authenticate('batch', secret, ['reports']) // ClientCredentialsToken | null
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export class OAuth2ClientCredentialsFlow {
  readonly #context: GrantContext
  readonly #clients: ClientRegistry

  constructor(options: ClientCredentialsFlowOptions) {
    const config = parseOptions(OptionsSchema, options)
    this.#clients = toRegistry(config.clients)
    this.#context = {
      auth: config.auth,
      verifyUser: undefined,
      records: undefined,
      limiter: undefined,
      clientLimiter: undefined,
      sourceLimiter: undefined,
      sourceKey: undefined,
    }
  }

  /**
   * An access token for valid client credentials, `null` for wrong ones, an unknown client, a
   * client that may not use this grant, or a scope beyond the client's.
   */
  async authenticate(
    clientId: string,
    clientSecret: string,
    scopes: readonly string[] = [],
  ): Promise<ClientCredentialsToken | null> {
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !Array.isArray(scopes)) {
      throw new InvalidArgumentError('clientId and clientSecret must be strings and scopes an array')
    }
    try {
      const credentials = { clientId, secret: clientSecret, method: 'client_secret_post' } as const
      const client = await authenticateClient(credentials, this.#clients, 'oauth2')
      const form = scopeForm(scopes, { grant_type: 'client_credentials' })
      const body = await runGrant('client_credentials', this.#context, client, form, undefined)
      return {
        accessToken: body.access_token,
        tokenType: 'Bearer',
        expiresIn: body.expires_in,
        scope: body.scope,
      }
    } catch (error) {
      return refusedOrThrow(error)
    }
  }
}
