import type { JwtAuth } from '@covet/core'
import type { Records } from '../authorize/records.js'
import type { RegisteredClient } from '../clients/types.js'
import type { LoginLimits } from './throttle.js'

/** What `verifyUser` answers for valid credentials. */
export interface VerifiedUser {
  /** The token subject (`sub`), a stable user id. */
  subject: string
  roles?: readonly string[]
  permissions?: readonly string[]
  /** Scopes this user may hold; the granted scope is the requested one narrowed to these. */
  scopes?: readonly string[]
  /** Extra claims for the tokens. */
  claims?: Record<string, unknown>
}

/**
 * Checks a username and password (RFC 6749 §4.3.2). Answer `null` (or `undefined`/`false`)
 * for an unknown user and for a wrong password alike, and take as long for both: hash the
 * password against a decoy when the user does not exist.
 */
export type VerifyUser = (
  username: string,
  password: string,
  context: { readonly clientId: string; readonly scopes: readonly string[] },
) => Promise<VerifiedUser | null | undefined | false>

/** The successful token response (RFC 6749 §5.1). */
export interface TokenResponseBody {
  access_token: string
  /** `'DPoP'` when the access token is bound to the key of the request's DPoP proof (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP'
  expires_in: number
  refresh_token?: string
  scope?: string
}

export interface GrantContext extends LoginLimits {
  readonly auth: JwtAuth<object>
  readonly verifyUser: VerifyUser | undefined
  /** Where authorization codes live; `undefined` when no client may use the code grant. */
  readonly records: Records | undefined
  /** The DPoP key this request's tokens are bound to; `undefined` when it sent no proof. */
  readonly dpop?: DpopBinding | undefined
}

/** RFC 9449 §5: how a request with a DPoP proof binds what it issues. */
export interface DpopBinding {
  /** The proof key's thumbprint: the access token's `cnf.jkt`. */
  readonly jkt: string
  /** Bind the refresh token too: the client is public (RFC 9449 §5). */
  readonly bindRefreshToken: boolean
}

/** One grant: tokens for `client` from the request's parameters, or an `OAuthError`. */
export type GrantHandler = (
  context: GrantContext,
  client: RegisteredClient,
  form: ReadonlyMap<string, string>,
  /** The HTTP request; `undefined` for a programmatic flow, which has none. */
  request: Request | undefined,
) => Promise<TokenResponseBody>
