import type { JwtAuth } from '@covet/core'
import { ConfigError } from '@covet/core'
import { methodNotAllowed } from '../lib/responses.js'

/**
 * Serves the public JWK Set (RFC 7517 §5) of `auth`'s keys, read on every request so a key
 * rotation shows at once. Mount it where the metadata's `jwks_uri` points.
 *
 * @example
 * const jwks = jwksHandler(auth)
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function jwksHandler(
  auth: Pick<JwtAuth<object>, 'jwks'>,
  options: { maxAge?: number } = {},
): (request: Request) => Response {
  if (typeof auth?.jwks !== 'function')
    throw new ConfigError('auth', 'must be the object createJwtAuth returns')
  const maxAge = options.maxAge ?? 300
  if (!Number.isInteger(maxAge) || maxAge < 0)
    throw new ConfigError('maxAge', 'must be a whole number of seconds')
  return function jwksEndpoint(request: Request): Response {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD')
    return new Response(request.method === 'HEAD' ? null : JSON.stringify(auth.jwks()), {
      // RFC 7517 §8.5: the JWK Set media type.
      headers: { 'content-type': 'application/jwk-set+json', 'cache-control': `public, max-age=${maxAge}` },
    })
  }
}
