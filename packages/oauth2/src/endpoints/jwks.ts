import type { Duration, JwtAuth } from '@covet/core'
import { ConfigError } from '@covet/core'
import { parseOptions, seconds } from '@covet/core/options'
import * as v from 'valibot'
import { methodNotAllowed } from '../lib/responses.js'

export interface JwksHandlerOptions {
  /** How long caches may keep the set (`Cache-Control: max-age`, whole seconds). Default `'5m'`. */
  maxAge?: Duration
}

// RFC 9111 §5.2.2.1: max-age counts whole seconds.
const OptionsSchema = v.object({ maxAge: v.optional(seconds(), '5m') })

/**
 * Serves the public JWK Set (RFC 7517 §5) of `auth`'s keys, read on every request so a key
 * rotation shows at once. Mount it where the metadata's `jwks_uri` points.
 *
 * @example
 * const jwks = jwksHandler(auth, { maxAge: '5m' })
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function jwksHandler(
  auth: Pick<JwtAuth<object>, 'jwks'>,
  options: JwksHandlerOptions = {},
): (request: Request) => Response {
  if (typeof auth?.jwks !== 'function')
    throw new ConfigError('auth', 'must be the object createJwtAuth returns')
  const { maxAge } = parseOptions(OptionsSchema, options)
  return function jwksEndpoint(request: Request): Response {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD')
    return new Response(request.method === 'HEAD' ? null : JSON.stringify(auth.jwks()), {
      // RFC 7517 §8.5: the JWK Set media type.
      headers: { 'content-type': 'application/jwk-set+json', 'cache-control': `public, max-age=${maxAge}` },
    })
  }
}
