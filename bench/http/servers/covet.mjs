/** Covet's `withJwtAuth` around the `/me` handler; shared by the Node, Bun and Deno servers. */
import { createJwtAuth, getAuth, withJwtAuth } from '@covet/core'
import { meResponse } from './app.mjs'

/**
 * @param {string} variant `unprotected` or `<HS256|RS256>-<cache|nocache>`
 * @param {typeof Response} Response
 */
export async function covetHandler(variant, Response, settings) {
  if (variant === 'unprotected') return (request) => meResponse(Response, getAuth(request)?.subject)
  const [algorithm, cache] = variant.split('-')
  const auth = await createJwtAuth({
    algorithm,
    keys: algorithm === 'HS256' ? settings.secret : settings.rsaPrivate,
    issuer: settings.issuer,
    audience: settings.audience,
    accessTokenTtl: '1h',
    cache: cache === 'cache',
  })
  return withJwtAuth((request) => meResponse(Response, getAuth(request)?.subject), { auth, realm: 'bench' })
}
