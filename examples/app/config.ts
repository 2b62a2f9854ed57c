/** Settings read from the environment, on any runtime (Node, Bun, Deno, Next.js). */
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {}

/** Shared HS256 secret; the test suite and `covet tokens` sign with the same one. */
export const secret: string | undefined = env['COVET_SECRET']
export const issuer = env['COVET_ISSUER'] ?? 'https://covet.example'
export const audience = env['COVET_AUDIENCE'] ?? 'covet-example-api'
/** Verified-token cache: on unless `COVET_CACHE=off`. */
export const cache = env['COVET_CACHE'] !== 'off'
