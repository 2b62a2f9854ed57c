/**
 * The `GET /me` handler every Fetch-based contender serves, built with the `Response` it is given
 * (on Node, `@whatwg-node/fetch`'s: the one `@whatwg-node/server` sends fastest). `who` is the
 * verified subject, or `undefined` for the unprotected baseline.
 */
export function meResponse(Response, who) {
  return new Response(JSON.stringify({ subject: who ?? 'anonymous' }), {
    headers: { 'content-type': 'application/json' },
  })
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
    issuer: 'https://bench.covet.example',
    audience: 'bench',
  }
}
