import type { GrantType, RegisteredClient } from '../clients/types.js'
import { OAuthError } from '../errors.js'
import { authorizationCodeGrant } from './authorization-code.js'
import { clientCredentialsGrant } from './client-credentials.js'
import { passwordGrant } from './password.js'
import { refreshTokenGrant } from './refresh-token.js'
import type { GrantContext, GrantHandler, TokenResponseBody } from './types.js'

/** Every grant, by its RFC 6749 `grant_type`. */
export const GRANTS: Readonly<Record<GrantType, GrantHandler>> = {
  authorization_code: authorizationCodeGrant,
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
  refresh_token: refreshTokenGrant,
}

/**
 * Tokens for an authenticated client under one grant: the one path from a client to tokens,
 * taken by the token endpoint and by the programmatic flows alike. `request` is the HTTP request
 * when there is one (it names the source a login attempt is counted under).
 */
export function runGrant(
  grantType: GrantType,
  context: GrantContext,
  client: RegisteredClient,
  form: ReadonlyMap<string, string>,
  request: Request | undefined,
): Promise<TokenResponseBody> {
  // RFC 6749 §5.2: a client may use only the grants it is registered for.
  if (!client.grantTypes.has(grantType)) {
    throw new OAuthError('unauthorized_client', 'The client may not use this grant type')
  }
  return GRANTS[grantType](context, client, form, request)
}
