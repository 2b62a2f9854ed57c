import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const packageDir = (from: string, name: string) =>
  dirname(createRequire(join(examples, from, 'package.json')).resolve(`${name}/package.json`))

/** Compiles the workspace packages the examples import, and the Node example (global setup). */
export const TSC_BUILD = [
  process.execPath,
  join(packageDir('..', 'typescript'), 'bin/tsc'),
  '-b',
  join(examples, 'node-http'),
]

/** How to build (once) and start one runtime serving the shared app on `port`. */
interface Runtime {
  cwd: string
  build?: string[]
  start(port: number): string[]
}

// The real binaries, not the node_modules/.bin shims (killing a shim can leave the runtime behind).
export const RUNTIMES = {
  node: {
    cwd: join(examples, 'node-http'),
    start: () => [process.execPath, 'dist/server.js'],
  },
  bun: {
    cwd: join(examples, 'bun'),
    start: () => [join(packageDir('bun', 'bun'), 'bin/bun.exe'), 'run', 'server.ts'],
  },
  'bun-plain': {
    cwd: join(examples, 'bun'),
    start: () => [join(packageDir('bun', 'bun'), 'bin/bun.exe'), 'run', 'plain.ts'],
  },
  deno: {
    cwd: join(examples, 'deno'),
    start: () => [join(packageDir('deno', 'deno'), 'deno'), 'run', '--allow-net', '--allow-env', 'server.ts'],
  },
  'deno-plain': {
    cwd: join(examples, 'deno'),
    start: () => [join(packageDir('deno', 'deno'), 'deno'), 'run', '--allow-net', '--allow-env', 'plain.ts'],
  },
  // issuers-server.ts: a resource server for an oidc-provider's tokens (issuers.test.ts).
  'node-issuers': {
    cwd: join(examples, 'app'),
    start: () => [process.execPath, 'dist/issuers-server.js'],
  },
  'bun-issuers': {
    cwd: join(examples, 'app'),
    start: () => [join(packageDir('bun', 'bun'), 'bin/bun.exe'), 'run', 'issuers-server.ts'],
  },
  'deno-issuers': {
    cwd: join(examples, 'app'),
    start: () => [
      join(packageDir('deno', 'deno'), 'deno'),
      'run',
      '--allow-net',
      '--allow-env',
      'issuers-server.ts',
    ],
  },
  nextjs: {
    cwd: join(examples, 'nextjs'),
    build: [process.execPath, join(packageDir('nextjs', 'next'), 'dist/bin/next'), 'build'],
    start: (port) => [
      process.execPath,
      join(packageDir('nextjs', 'next'), 'dist/bin/next'),
      'start',
      '--port',
      String(port),
      '--hostname',
      '127.0.0.1',
    ],
  },
} satisfies Record<string, Runtime>

export type RuntimeName = keyof typeof RUNTIMES

export interface Started {
  port: number
  url: string
  /** Everything the process wrote, for failure messages. */
  output(): string
  stop(): Promise<void>
}

/** A port nobody listens on right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const [command = '', ...args] = argv
  return spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function collect(child: ChildProcess): () => string {
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk))
  return () => text
}

/** Signal the whole process group; ESRCH means it is already gone. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : once(child, 'exit').then(() => {})

/** Build the runtime if it needs it, start it, and resolve once `GET /health` answers 200. */
export async function start(name: RuntimeName, env: NodeJS.ProcessEnv, readyMs = 60_000): Promise<Started> {
  const runtime: Runtime = RUNTIMES[name]
  if (runtime.build !== undefined) {
    const builder = run(runtime.build, runtime.cwd, env)
    const output = collect(builder)
    await exited(builder)
    if (builder.exitCode !== 0) throw new Error(`${name} build failed:\n${output()}`)
  }
  const port = await freePort()
  const child = run(runtime.start(port), runtime.cwd, { ...env, PORT: String(port) })
  const output = collect(child)
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    killGroup(child, 'SIGTERM')
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000)
    await exited(child)
    clearTimeout(timer)
  }
  const deadline = Date.now() + readyMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break
    const ready = await fetch(`${url}/health`).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ready) return { port, url, output, stop }
    await new Promise((r) => setTimeout(r, 100))
  }
  await stop()
  throw new Error(`${name} did not become ready within ${readyMs} ms:\n${output()}`)
}
