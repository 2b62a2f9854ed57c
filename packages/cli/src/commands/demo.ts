import { pathToFileURL } from 'node:url'
import { type Parsed, str } from '../lib/args.js'
import { findDemo } from '../lib/demo-entry.js'
import { CommandFailure, EXIT, UsageError } from '../lib/errors.js'
import type { Io } from '../lib/io.js'

export const help = `Usage: covet demo [--port <port>] [--host <host>]

Start the reference application of the Covet repository (examples/demo): OAuth 2 token,
revocation, introspection and metadata endpoints, a JWK Set, and routes guarded by bearer
tokens, roles, permissions and scopes. It prints its URL and a curl walkthrough.

  --port <port>   where to listen (default: $PORT, else 3000)
  --host <host>   interface to bind (default: $HOST, else 127.0.0.1)
  -h, --help      show this help

The demo reads COVET_ALGORITHM, COVET_SECRET, COVET_PRIVATE_KEY_FILE, COVET_ISSUER,
COVET_AUDIENCE and REDIS_URL; see docs/cli.md. It runs from a clone of the repository, not from
an installed @covet/cli ('npx -y pnpm@12.4.2 demo' at the root of a clone builds and starts it).

Exit codes: runs until interrupted; 1 when it cannot start (a weak key, a port in use), 2 usage error.`

const REPOSITORY = 'https://github.com/covet-auth/covet'

/** What `@covet/example-demo` exports. */
interface DemoModule {
  startDemo(options: {
    env: Record<string, string | undefined>
    log?: (line: string) => void
  }): Promise<unknown>
}

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = { port: { type: 'string' }, host: { type: 'string' } } as const

/** Positional arguments taken at most. */
export const positionals = 0

/** `covet demo` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const port = str(parsed, 'port')
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new UsageError('--port must be a port number')
  const host = str(parsed, 'host')
  const location = findDemo()
  // The demo is an application of every Covet package (and Redis and OpenTelemetry clients), so it
  // ships with the repository, not with this command.
  if (location === undefined) {
    throw new CommandFailure(
      `the demo runs from a clone of the Covet repository, and this is not one: clone ${REPOSITORY}, then run "npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 demo" in it`,
    )
  }
  if (location.entry === undefined) {
    throw new CommandFailure(
      'the demo is not built: run "npx -y pnpm@12.4.2 demo" at the root of the clone, which builds and starts it',
    )
  }
  const demo = (await import(pathToFileURL(location.entry).href)) as DemoModule
  const env = { ...io.env, ...(port ? { PORT: port } : {}), ...(host ? { HOST: host } : {}) }
  try {
    await demo.startDemo({ env, log: (line) => io.out(line) })
  } catch (error) {
    throw new CommandFailure((error as Error).message, (error as { code?: string }).code)
  }
  return EXIT.ok
}
