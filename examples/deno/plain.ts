/** `deno run --allow-net --allow-env plain.ts`: the shared app handed straight to `Deno.serve`, no Covet adapter. */
import { app } from '@covet/example-app'

interface DenoGlobal {
  serve(
    options: { hostname: string; port: number },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown
}
const { Deno, process } = globalThis as unknown as {
  Deno: DenoGlobal
  process: { env: Record<string, string> }
}

Deno.serve({ hostname: '127.0.0.1', port: Number(process.env['PORT'] ?? 3000) }, app)
