// The demo's handler on Bun or Deno, for the authorization code tests: `PORT` from the
// environment, keys generated, revocations in memory. Imports the build (`pnpm build` first).
import { createJwtAuth } from '@covet/core'
import { createApp } from '../../dist/app.js'

const port = Number(globalThis.Deno ? globalThis.Deno.env.get('PORT') : process.env.PORT)
const issuer = `http://127.0.0.1:${port}`
const auth = await createJwtAuth({ issuer, audience: 'covet-demo', accessTokenTtl: '15m', warn: () => {} })
const handler = await createApp({ auth, issuer })

if (globalThis.Bun) globalThis.Bun.serve({ hostname: '127.0.0.1', port, fetch: handler })
else globalThis.Deno.serve({ hostname: '127.0.0.1', port, onListen() {} }, handler)
