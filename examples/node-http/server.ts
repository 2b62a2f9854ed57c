/** `pnpm --filter @covet/example-node-http start`: the shared app on node:http. */
import { serve } from '@covet/adapters/node'
import { app } from '@covet/example-app'

await serve(app, {
  port: Number(process.env['PORT'] ?? 3000),
  onListen: ({ url }) => console.log(`listening on ${url}`),
})
