/** The grants the token endpoint implements (RFC 6749 §4.3, §4.4, §6). */
export type GrantType = 'password' | 'client_credentials' | 'refresh_token'

export const GRANT_TYPES: readonly GrantType[] = ['password', 'client_credentials', 'refresh_token']

/** A client as configured. Give `secret` (hashed at start-up) or `secretHash` (from `hashClientSecret`). */
export interface ClientConfig {
  clientId: string
  /** The secret in clear; hashed when the registry is created, then forgotten. */
  secret?: string
  /** A hash made by `hashClientSecret`. */
  secretHash?: string
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
}

/** A client once its secret has been checked. */
export interface RegisteredClient {
  readonly clientId: string
  readonly grantTypes: ReadonlySet<GrantType>
  readonly scopes: ReadonlySet<string>
  readonly defaultScopes: readonly string[]
  readonly roles: readonly string[]
  readonly permissions: readonly string[]
  readonly introspectAny: boolean
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
}
