/**
 * What every contender serves on `GET /me`, and the settings `run.mjs` hands each server process.
 * `readmeHandler` is the README's handler, written as users write it: the global `Response`.
 */
import { createJwtAuth, getAuth, withJwtAuth } from '@covet/core'
import { instrument } from '@covet/otel'

/** The body every server answers with: the authenticated ones name the token's subject. */
export const ME = { sub: 'bench-user' }

/**
 * What a server charges any handler that checks the path and the Host (as Covet's adapters must)
 * and reads the credentials, before any auth work: the three reads through its `Request`, and no
 * more. The global `Response` is read at each call (srvx makes its own the global one).
 */
export const reads = (request) => {
  const url = request.url
  const host = request.headers.get('host')
  const authorization = request.headers.get('authorization')
  if (url.length + (host?.length ?? 0) + (authorization?.length ?? 0) === 0)
    return new Response(null, { status: 400 })
  return Response.json(ME)
}

/** The settings shared by every server, handed down by `run.mjs` through the environment. */
export function benchEnv() {
  const env = globalThis.process?.env ?? {}
  return {
    port: Number(env.PORT),
    contender: env.BENCH_CONTENDER,
    secret: env.BENCH_SECRET,
    rsaPrivate: env.BENCH_RSA_PRIVATE,
    rsaPublic: env.BENCH_RSA_PUBLIC,
    ecPrivate: env.BENCH_EC_PRIVATE,
    issuer: 'https://bench.covet.example',
    audience: 'bench',
  }
}

/**
 * The README's handler (`withJwtAuth` around `Response.json`, realm and exempt path as there),
 * with `algorithm` HS256, RS256 or ES256 and the verified-token cache on or off; `instrumented`
 * adds `instrument(auth)` from @covet/otel with no OpenTelemetry SDK installed (the API's no-op).
 * DPoP is allowed, as by default: a DPoP-bound token with its proof is served as a bearer token is;
 * `dpop: 'off'` measures what allowing it costs a bearer request.
 */
export async function readmeHandler(settings, algorithm, cache, instrumented = false, dpop = 'allowed') {
  const auth = await createJwtAuth({
    algorithm,
    keys: { HS256: settings.secret, RS256: settings.rsaPrivate, ES256: settings.ecPrivate }[algorithm],
    issuer: settings.issuer,
    audience: settings.audience,
    accessTokenTtl: '1h',
    cache,
  })
  if (instrumented) instrument(auth)
  return withJwtAuth((request) => Response.json({ sub: getAuth(request)?.subject }), {
    auth,
    realm: 'api',
    exemptPaths: ['/health'],
    dpop,
  })
}
