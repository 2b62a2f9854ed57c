/**
 * A resource server for another issuer's tokens, on whichever runtime runs it (Node from
 * `dist/`, Bun and Deno from this file): `createJwtAuth({ issuers })` with the issuer discovered
 * from `ISSUER`, behind `withJwtAuth`. `GET /health` is exempt; `GET /me` answers the verified
 * identity. The suite in `issuers.test.ts` points it at a real `oidc-provider`.
 */
import { createJwtAuth, type Duration, getAuth, withJwtAuth } from '@covet/core'

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {}
const port = Number(env['PORT'] ?? 3000)

const auth = await createJwtAuth({
  issuers: [
    { issuer: env['ISSUER'] ?? 'http://127.0.0.1:4000', audience: env['AUDIENCE'] ?? 'https://api.test' },
  ],
  // A rotated key is fetched for as soon as a token names it (the default waits 30 s between refetches).
  jwks: { cooldown: (env['JWKS_COOLDOWN'] ?? '30s') as Duration },
})

const handler = withJwtAuth(
  (request) => {
    const who = getAuth(request)
    if (new URL(request.url).pathname === '/health' || who === undefined) return new Response('ok')
    const { subject, issuer, clientId, scopes, jti } = who
    return Response.json({ subject, issuer, clientId, scopes, jti, runtime: runtimeName() })
  },
  { auth, realm: 'issuers', exemptPaths: ['/health'] },
)

function runtimeName(): string {
  if ('Bun' in globalThis) return 'bun'
  return 'Deno' in globalThis ? 'deno' : 'node'
}

// Each runtime's adapter: the one file serves on all three.
const onListen = ({ url }: { url: string }) => console.log(`listening on ${url}`)
if (runtimeName() === 'bun') await (await import('@covet/adapters/bun')).serve(handler, { port, onListen })
else if (runtimeName() === 'deno')
  await (await import('@covet/adapters/deno')).serve(handler, { port, onListen })
else await (await import('@covet/adapters/node')).serve(handler, { port, onListen })
