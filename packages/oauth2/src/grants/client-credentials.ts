import { formatScope } from '../lib/scope.js'
import { requestedScope } from './scope.js'
import type { GrantHandler } from './types.js'

/**
 * RFC 6749 §4.4: an access token for the client itself (`sub` is the client id). Never a refresh
 * token (§4.4.3).
 */
export const clientCredentialsGrant: GrantHandler = async ({ auth, dpop }, client, form) => {
  const scope = formatScope(requestedScope(client, form))
  const accessToken = await auth.createToken(client.clientId, {
    type: 'access',
    clientId: client.clientId,
    grantType: 'client_credentials',
    roles: client.roles,
    permissions: client.permissions,
    ...(scope === undefined ? {} : { scope }),
    // RFC 9449 §5: bound to the key of the request's proof.
    ...(dpop === undefined ? {} : { dpopJkt: dpop.jkt }),
  })
  return {
    access_token: accessToken,
    token_type: dpop === undefined ? 'Bearer' : 'DPoP',
    expires_in: auth.accessTokenTtl,
    ...(scope === undefined ? {} : { scope }),
  }
}
