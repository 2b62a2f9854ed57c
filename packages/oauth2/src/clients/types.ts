/** The grants the token endpoint implements (RFC 6749 §4.1, §4.3, §4.4, §6). */
export type GrantType = 'authorization_code' | 'password' | 'client_credentials' | 'refresh_token'

export const GRANT_TYPES: readonly GrantType[] = [
  'authorization_code',
  'password',
  'client_credentials',
  'refresh_token',
]

/**
 * How a client authenticates at the token endpoint (RFC 7591 §2): with its secret, or not at all
 * (`'none'`: a public client such as a browser or native app, RFC 6749 §2.1).
 */
export type TokenEndpointAuthMethod = 'client_secret' | 'none'

/**
 * A client as configured. A confidential client gives `secret` (hashed at start-up) or
 * `secretHash` (from `hashClientSecret`); a public one `tokenEndpointAuthMethod: 'none'` and neither.
 */
export interface ClientConfig {
  clientId: string
  /** A name shown to users on the consent page. Default: the client id. */
  name?: string
  /** The secret in clear; hashed when the registry is created, then forgotten. */
  secret?: string
  /** A hash made by `hashClientSecret`. */
  secretHash?: string
  /**
   * `'none'` for a public client (no secret; it may use only `authorization_code` and
   * `refresh_token`). Default `'client_secret'`.
   */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod
  /**
   * Where authorization responses may go, compared exactly (RFC 9700 §4.1.3), except that a
   * loopback IP redirect (`http://127.0.0.1/cb`, `http://[::1]/cb`) matches any port (RFC 8252 §7.3).
   * Required with the `authorization_code` grant.
   */
  redirectUris?: readonly string[]
  /** Grants this client may use. The password grant is off unless listed (RFC 9700 §2.4). */
  grantTypes: readonly GrantType[]
  /** Scopes this client may request. Default: none. */
  scopes?: readonly string[]
  /** Scopes granted when a request omits `scope` (RFC 6749 §3.3). Default: none. */
  defaultScopes?: readonly string[]
  /** Roles and permissions written into client-credentials tokens. */
  roles?: readonly string[]
  permissions?: readonly string[]
  /** May introspect tokens issued to other clients (a resource server). Default false. */
  introspectAny?: boolean
  /**
   * RFC 9449 §5.2 (`dpop_bound_access_tokens`): every token request of this client must carry a
   * DPoP proof, so its access tokens are always DPoP-bound. Default false.
   */
  dpopBoundAccessTokens?: boolean
}

/** A client once its secret has been checked (or, for a public client, once found). */
export interface RegisteredClient {
  readonly clientId: string
  /** Shown on the consent page; the client id when absent. */
  readonly name?: string | undefined
  /** `'none'` for a public client; absent or `'client_secret'` for a confidential one. */
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod
  /** Registered redirect URIs; absent means none. */
  readonly redirectUris?: readonly string[]
  readonly grantTypes: ReadonlySet<GrantType>
  readonly scopes: ReadonlySet<string>
  readonly defaultScopes: readonly string[]
  readonly roles: readonly string[]
  readonly permissions: readonly string[]
  readonly introspectAny: boolean
  /** Its token requests must carry a DPoP proof (RFC 9449 §5.2); absent means false. */
  readonly dpopBoundAccessTokens?: boolean
}

/**
 * Where the endpoints find clients. `createClientRegistry` is the built-in one; implement this to
 * keep clients elsewhere. `authenticate` must take as long for an unknown client as for a known
 * one with a wrong secret, and answer `undefined` for both.
 */
export interface ClientRegistry {
  /** Grants at least one client may use: the others are unsupported (RFC 6749 §5.2). */
  readonly grantTypes: ReadonlySet<GrantType>
  /** Every scope some client may request. */
  readonly scopes: ReadonlySet<string>
  authenticate(clientId: string, secret: string): Promise<RegisteredClient | undefined>
  /**
   * The client with this id, without authenticating it: for the authorization endpoint (which
   * needs its redirect URIs) and for public clients at the token endpoint. Required by
   * `createAuthorizationEndpoint`; without it public clients cannot use the token endpoint.
   */
  find?(clientId: string): Promise<RegisteredClient | undefined>
  /** Whether some client is public (`tokenEndpointAuthMethod: 'none'`), for RFC 8414 metadata. */
  readonly hasPublicClients?: boolean
}
