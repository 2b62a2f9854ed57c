// The demo's handler on Bun or Deno, for the authorization code and DPoP tests: `PORT` (and
// `COVET_DPOP_NONCE_SECRET`, for DPoP nonces) from the environment, keys generated, revocations in
// memory. Imports the build (`pnpm build` first).
import { createJwtAuth } from '@covet/core'
import { createApp } from '../../dist/app.js'

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : process.env[name])
const port = Number(env('PORT'))
const dpopNonceSecret = env('COVET_DPOP_NONCE_SECRET')
const issuer = `http://127.0.0.1:${port}`
const auth = await createJwtAuth({ issuer, audience: 'covet-demo', accessTokenTtl: '15m', warn: () => {} })
const handler = await createApp({ auth, issuer, ...(dpopNonceSecret ? { dpopNonceSecret } : {}) })

if (globalThis.Bun) globalThis.Bun.serve({ hostname: '127.0.0.1', port, fetch: handler })
else globalThis.Deno.serve({ hostname: '127.0.0.1', port, onListen() {} }, handler)
