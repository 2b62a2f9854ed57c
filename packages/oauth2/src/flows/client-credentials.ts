import type { JwtAuth } from '@covet/core'
import { ConfigError, InvalidArgumentError } from '@covet/core'

/** What a client verifier answers for valid credentials. */
export interface VerifiedClient {
  /** Scopes the client may request; any when omitted. */
  readonly scopes?: readonly string[] | ReadonlySet<string>
  readonly roles?: readonly string[]
  readonly permissions?: readonly string[]
}

/** Checks a client id and secret: the client, or a falsy value for unknown ids and wrong secrets alike. */
export type VerifyClient = (
  clientId: string,
  clientSecret: string,
) => Promise<VerifiedClient | true | null | undefined | false>

/** An access token for a client (RFC 6749 §4.4.3: never with a refresh token). */
export interface ClientCredentialsToken {
  readonly accessToken: string
  readonly tokenType: 'Bearer'
  /** Seconds. */
  readonly expiresIn: number
  readonly scope: string | undefined
}

/**
 * The client credentials flow (RFC 6749 §4.4) without HTTP: checks the client with a pluggable
 * verifier and issues an access token whose subject is the client id.
 *
 * @example
 * const clients = createClientRegistry([{ clientId: 'batch', secretHash, grantTypes: ['client_credentials'], scopes: ['reports'] }])
 * const flow = new OAuth2ClientCredentialsFlow(auth, (id, secret) => clients.authenticate(id, secret))
 * const token = await flow.authenticate('batch', secret, ['reports']) // ClientCredentialsToken | null
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export class OAuth2ClientCredentialsFlow {
  readonly #auth: JwtAuth<object>
  readonly #verify: VerifyClient

  constructor(auth: JwtAuth<object>, verifyClient: VerifyClient) {
    if (typeof auth?.createToken !== 'function')
      throw new ConfigError('auth', 'must be the object createJwtAuth returns')
    if (typeof verifyClient !== 'function') throw new ConfigError('verifyClient', 'must be a function')
    this.#auth = auth
    this.#verify = verifyClient
  }

  /** An access token for valid credentials and allowed scopes, `null` otherwise. */
  async authenticate(
    clientId: string,
    clientSecret: string,
    scopes: readonly string[] = [],
  ): Promise<ClientCredentialsToken | null> {
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !Array.isArray(scopes)) {
      throw new InvalidArgumentError('clientId and clientSecret must be strings and scopes an array')
    }
    const client = await this.#verify(clientId, clientSecret)
    if (!client) return null
    const allowed = client === true || client.scopes === undefined ? undefined : new Set(client.scopes)
    if (allowed !== undefined && !scopes.every((scope) => allowed.has(scope))) return null
    const scope = scopes.length === 0 ? undefined : [...new Set(scopes)].join(' ')
    const details = client === true ? {} : client
    const accessToken = await this.#auth.createToken(clientId, {
      type: 'access',
      clientId,
      ...(details.roles === undefined ? {} : { roles: details.roles }),
      ...(details.permissions === undefined ? {} : { permissions: details.permissions }),
      ...(scope === undefined ? {} : { scope }),
    })
    return { accessToken, tokenType: 'Bearer', expiresIn: this.#auth.accessTokenTtl, scope }
  }
}
