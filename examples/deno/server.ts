/** `deno run --allow-net --allow-env server.ts`: the shared app on Deno.serve. */
import { serve } from '@covet/adapters/deno'
import { app } from '@covet/example-app'

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {}

await serve(app, {
  port: Number(env['PORT'] ?? 3000),
  onListen: ({ url }) => console.log(`listening on ${url}`),
})
