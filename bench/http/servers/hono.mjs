/**
 * The Hono app of the Hono contenders, the same on Node, Bun and Deno: bare, or with hono/jwt in
 * front of `GET /me` as Hono's documentation writes it, checking the same issuer, audience and
 * token type as Covet does.
 */
import { Hono } from 'hono'
import { jwt } from 'hono/jwt'
import { ME } from './app.mjs'

/** A Hono app that answers `GET /me`, behind hono/jwt when `algorithm` is set. */
export function honoApp(settings, algorithm) {
  const app = new Hono()
  if (algorithm === undefined) {
    app.get('/me', (c) => c.json(ME))
    return app
  }
  app.use(
    '/me',
    jwt({
      // An HMAC secret is taken as its UTF-8 bytes, as every other contender takes it; an RSA public key as PEM.
      secret: algorithm === 'HS256' ? settings.secret : settings.rsaPublic,
      alg: algorithm,
      realm: 'api',
      verification: { iss: settings.issuer, aud: settings.audience, typ: 'at+jwt' },
    }),
  )
  app.get('/me', (c) => c.json({ sub: c.get('jwtPayload').sub }))
  return app
}
