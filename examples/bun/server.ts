/** `bun run server.ts`: the shared app on Bun.serve. */
import { serve } from '@covet/adapters/bun'
import { app } from '@covet/example-app'

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {}

await serve(app, {
  port: Number(env['PORT'] ?? 3000),
  onListen: ({ url }) => console.log(`listening on ${url}`),
})
