/**
 * The one Fetch handler every runtime example serves, unchanged: Node (`@covet/adapters/node`),
 * Bun, Deno and Next.js. Routes:
 * - `GET /health`, `GET /docs/*`: exempt, no token read.
 * - `GET /feed`: optional, personalised when a valid token is sent.
 * - `GET /me`: the caller's identity. `POST /logout`: revokes the presented token.
 * - `GET /admin`, `GET /admin/*`: protected by `withJwtAuth` alone; the handler checks nothing
 *   itself, so reaching it without a token is an authentication bypass (the attack suite's target).
 * - `GET /boom`: throws, as a bug would; the adapter must answer a bare 500 and keep serving.
 */
import { createJwtAuth, getAuth, type WithJwtAuthOptions, withJwtAuth } from '@covet/core'
import { audience, cache, issuer, secret } from './config.ts'

export const auth = await createJwtAuth({
  algorithm: 'HS256',
  // Without COVET_SECRET a key is generated (and Covet warns): tokens then die with the process.
  ...(secret === undefined ? {} : { keys: secret }),
  issuer,
  audience,
  cache,
})

/** How the routes are protected; `proxy.ts` on Next.js reuses it. */
export const guard: WithJwtAuthOptions = {
  auth,
  realm: 'covet-example',
  exemptPaths: ['/health', '/docs/*'],
  optionalPaths: ['/feed'],
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** The application itself, unaware of how tokens are checked. */
export async function routes(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url)
  const who = getAuth(request)
  if (pathname === '/health') return new Response('ok', { headers: { 'content-type': 'text/plain' } })
  if (pathname.startsWith('/docs/')) return json({ page: pathname.slice('/docs/'.length) })
  if (pathname === '/feed') return json({ feed: who === undefined ? 'public' : `for ${who.subject}` })
  if (pathname === '/me' && who !== undefined) {
    return json({ subject: who.subject, roles: who.roles, scopes: who.scopes })
  }
  if (pathname === '/boom') throw new Error(`boom: internal detail of ${import.meta.url}`)
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return json({ admin: pathname })
  if (pathname === '/logout' && request.method === 'POST' && who !== undefined) {
    await auth.revokeToken(who.token)
    return new Response(null, { status: 204 })
  }
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }), {
    status: 404,
    headers: { 'content-type': 'application/problem+json' },
  })
}

/** The protected handler: `(request, ...rest) => Response`, ready for any runtime. */
export const app = withJwtAuth(routes, guard)
export default app
