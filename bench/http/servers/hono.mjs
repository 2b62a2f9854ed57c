/**
 * The Hono app of the Hono contenders, the same on Node, Bun and Deno: bare, or with hono/jwt in
 * front of `GET /me` as Hono's documentation writes it, checking the same issuer, audience and
 * token type as Covet does.
 */
import { Hono } from 'hono'
import { jwt } from 'hono/jwt'
import { importSPKI } from 'jose'
import { ME } from './app.mjs'

/**
 * The verification key, imported once: hono/jwt imports a key given as a string again on every
 * request, and returns a `CryptoKey` as it is, so an application that cares about speed gives it one.
 */
function verificationKey(settings, algorithm) {
  if (algorithm === 'RS256') return importSPKI(settings.rsaPublic, 'RS256')
  // An HMAC secret is taken as its UTF-8 bytes, as every other contender takes it.
  const raw = new TextEncoder().encode(settings.secret)
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
}

/** A Hono app that answers `GET /me`, behind hono/jwt when `algorithm` is set. */
export async function honoApp(settings, algorithm) {
  const app = new Hono()
  if (algorithm === undefined) {
    app.get('/me', (c) => c.json(ME))
    return app
  }
  app.use(
    '/me',
    jwt({
      secret: await verificationKey(settings, algorithm),
      alg: algorithm,
      realm: 'api',
      verification: { iss: settings.issuer, aud: settings.audience, typ: 'at+jwt' },
    }),
  )
  app.get('/me', (c) => c.json({ sub: c.get('jwtPayload').sub }))
  return app
}
