/** `bun run plain.ts`: the shared app handed straight to `Bun.serve`, with no Covet adapter. */
import { app } from '@covet/example-app'

interface BunGlobal {
  serve(options: {
    hostname: string
    port: number
    fetch: (request: Request) => Response | Promise<Response>
  }): unknown
}
const { Bun, process } = globalThis as unknown as { Bun: BunGlobal; process: { env: Record<string, string> } }

Bun.serve({ hostname: '127.0.0.1', port: Number(process.env['PORT'] ?? 3000), fetch: app })
