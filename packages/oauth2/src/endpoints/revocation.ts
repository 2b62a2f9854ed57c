import { isCovetError } from '@covet/core'
import { NO_STORE } from '../lib/responses.js'
import { type ClientEndpointOptions, createClientEndpoint } from './client-endpoint.js'

export type RevocationEndpointOptions = ClientEndpointOptions

/**
 * The token revocation endpoint (RFC 7009) as a Fetch handler. Client authentication is
 * required; the answer is 200 whether or not there was anything to revoke, so it tells nothing
 * about tokens. Revoking a refresh token ends its family, access tokens included; so does
 * revoking a refresh token that was already rotated away (RFC 9700 §4.14.2: that is reuse).
 *
 * @example
 * const revoke = createRevocationEndpoint({ auth, clients })
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export function createRevocationEndpoint(
  options: RevocationEndpointOptions,
): (request: Request) => Promise<Response> {
  // RFC 7009 §2.1: token_type_hint is only a hint; every kind of token is looked up anyway.
  return createClientEndpoint(options, async (auth, client, token) => {
    try {
      // RFC 7009 §2.1: a client may revoke only tokens issued to it. An already revoked or spent
      // token is still revoked, so a rotated refresh token ends the family it was rotated into.
      await auth.revokeToken(token, { clientId: client.clientId })
    } catch (error) {
      // §2.2: an invalid, expired or foreign token gets 200 too; a store outage does not.
      if (!isCovetError(error) || error.status !== 401) throw error
    }
    return new Response(null, { status: 200, headers: NO_STORE })
  })
}
