import type { JwtAuth } from '@covet/core'
import { NO_STORE } from '../lib/responses.js'
import { type ClientEndpointOptions, createClientEndpoint, verifyAny } from './client-endpoint.js'

export type RevocationEndpointOptions = ClientEndpointOptions

/**
 * The token revocation endpoint (RFC 7009) as a Fetch handler. Client authentication is
 * required; the answer is 200 whether or not there was anything to revoke, so it tells nothing
 * about tokens. Revoking a refresh token ends its family, access tokens included.
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
    const verified = await verifyAny(auth, token)
    // RFC 7009 §2.1: a client may revoke only tokens issued to it; §2.2: invalid tokens get 200.
    if (verified !== undefined && verified.clientId === client.clientId) {
      try {
        await auth.revokeToken(token)
      } catch (error) {
        // Expired or revoked in the meantime: nothing left to revoke.
        if (!(await isGone(auth, token))) throw error
      }
    }
    return new Response(null, { status: 200, headers: NO_STORE })
  })
}

async function isGone(auth: JwtAuth<object>, token: string): Promise<boolean> {
  return (await verifyAny(auth, token)) === undefined
}
