/** Covet's `withJwtAuth` around the `/me` handler; shared by the Node, Bun and Deno servers. */
import { createJwtAuth, getAuth, withJwtAuth } from '@covet/core'
import { instrument } from '@covet/otel'
import { meResponse } from './app.mjs'

/**
 * @param {string} variant `unprotected` or `<HS256|RS256>-<cache|nocache>[-otel]`; `-otel` adds
 *   `instrument(auth)` with no OpenTelemetry SDK installed (the API's no-op)
 * @param {typeof Response} Response
 */
export async function covetHandler(variant, Response, settings) {
  if (variant === 'unprotected') return (request) => meResponse(Response, getAuth(request)?.subject)
  const [algorithm, cache, otel] = variant.split('-')
  const auth = await createJwtAuth({
    algorithm,
    keys: algorithm === 'HS256' ? settings.secret : settings.rsaPrivate,
    issuer: settings.issuer,
    audience: settings.audience,
    accessTokenTtl: '1h',
    cache: cache === 'cache',
  })
  if (otel === 'otel') instrument(auth)
  return withJwtAuth((request) => meResponse(Response, getAuth(request)?.subject), { auth, realm: 'bench' })
}
