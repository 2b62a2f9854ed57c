import { invalidRequest } from '../errors.js'
import { assertScopeAllowed, formatScope, parseScope } from '../lib/scope.js'
import type { GrantHandler } from './types.js'

/**
 * RFC 6749 §6: rotates a refresh token issued to this client. Core checks the client binding,
 * expiry, revocation and reuse (each an `invalid_grant`) and refuses a widened scope
 * (`invalid_scope`). A refresh token bound to a DPoP key needs a proof of that key (RFC 9449 §5),
 * else `invalid_grant`, the token left unspent. A public client's refresh token issued without
 * DPoP and refreshed with a proof is replaced by one bound to the proof's key (RFC 9449 §5).
 */
export const refreshTokenGrant: GrantHandler = async ({ auth, dpop }, client, form) => {
  const refreshToken = form.get('refresh_token')
  if (refreshToken === undefined) throw invalidRequest('refresh_token is required')
  const requested = parseScope(form.get('scope'))
  // RFC 6749 §6: a narrower scope may be asked for; never one the client may no longer request.
  if (requested !== undefined) assertScopeAllowed(requested, client.scopes)
  const scope = formatScope(requested)
  const pair = await auth.refreshAccessToken(refreshToken, {
    clientId: client.clientId,
    ...(scope === undefined ? {} : { scope }),
    // RFC 9449 §5: the new access token is bound to this proof's key; a bound refresh token needs it,
    // and a public client's new refresh token is bound to it too.
    ...(dpop === undefined ? {} : { dpopJkt: dpop.jkt, bindRefreshToken: dpop.bindRefreshToken }),
  })
  return {
    access_token: pair.accessToken,
    token_type: pair.tokenType,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
    ...(pair.scope === undefined || pair.scope === '' ? {} : { scope: pair.scope }),
  }
}
