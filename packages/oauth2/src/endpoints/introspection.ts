import { boundThumbprint, type VerifiedToken } from '@covet/core'
import { jsonResponse } from '../lib/responses.js'
import { type ClientEndpointOptions, createClientEndpoint, verifyAny } from './client-endpoint.js'

export type IntrospectionEndpointOptions = ClientEndpointOptions

/** RFC 7662 §2.2: the answer for any token that is not active, exactly. */
const INACTIVE = { active: false } as const

/**
 * The token introspection endpoint (RFC 7662) as a Fetch handler. Client authentication is
 * required. A client sees its own tokens; one configured with `introspectAny` (a resource
 * server) sees every token. Anything else is exactly `{"active":false}`.
 *
 * @example
 * const introspect = createIntrospectionEndpoint({ auth, clients })
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export function createIntrospectionEndpoint(
  options: IntrospectionEndpointOptions,
): (request: Request) => Promise<Response> {
  return createClientEndpoint(options, async (auth, client, token) => {
    const verified = await verifyAny(auth, token)
    // RFC 7662 §4: do not tell a client about tokens it has no business with.
    if (verified === undefined || (!client.introspectAny && verified.clientId !== client.clientId)) {
      return jsonResponse(INACTIVE)
    }
    return jsonResponse(describe(verified))
  })
}

/** RFC 7662 §2.2 members of an active token. */
function describe(token: VerifiedToken<object>): Record<string, unknown> {
  const { claims } = token
  const jkt = boundThumbprint(claims)
  return {
    active: true,
    sub: token.subject,
    ...(token.scopes.length > 0 ? { scope: token.scopes.join(' ') } : {}),
    ...(token.clientId === undefined ? {} : { client_id: token.clientId }),
    exp: token.expiresAt,
    iat: token.issuedAt,
    ...(claims.nbf === undefined ? {} : { nbf: claims.nbf }),
    ...(claims.iss === undefined ? {} : { iss: claims.iss }),
    ...(claims.aud === undefined ? {} : { aud: claims.aud }),
    jti: token.jti,
    // RFC 7662 §2.2: the RFC 6749 §5.1 type for access tokens; refresh tokens have none there.
    // RFC 9449 §6.2: a DPoP-bound token is of type DPoP and tells its key's thumbprint.
    token_type: token.type === 'refresh' ? 'refresh_token' : jkt === undefined ? 'Bearer' : 'DPoP',
    ...(jkt === undefined ? {} : { cnf: { jkt } }),
  }
}
