import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The files of the consumer app, copied to a temporary folder before `npm install`. */
export const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), '../fixture')

/** One packed package. */
export interface Packed {
  name: string
  version: string
  /** Its folder in the workspace. */
  dir: string
  /** The `.tgz` that `pnpm pack` wrote. */
  tarball: string
}

/** The environment of a stranger's shell: none of the variables pnpm sets for its scripts. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name) && name !== 'NODE_OPTIONS'),
  )
  return { ...env, ...extra }
}

/** Run a command to completion; its output is in the error when it fails. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv(env), encoding: 'utf8', stdio: 'pipe' })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`)
  }
}

/**
 * A variant of the installed app at `to`, for a test that changes its layout. Files are hard links
 * (`cp -al`), so it costs no copying: a variant may add or remove files, never edit one in place.
 */
export function copyApp(from: string, to: string): void {
  run('cp', ['-al', from, to], dirname(to))
}

/** The real binary of Node `major`: this one when it is that line, else the registry's `node` package. */
function nodeBinary(major: number): string {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath
  // npx keeps the package in its cache: only the first run downloads it. A failure here fails the suite.
  return run('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], process.cwd()).trim()
}

const here = createRequire(import.meta.url)
const packageDir = (name: string) => dirname(here.resolve(`${name}/package.json`))

/** The runtimes the consumer app runs on: real binaries, never the node_modules/.bin shims. */
export function runtimeBinaries(): Record<'node20' | 'node24' | 'bun' | 'deno', string> {
  return {
    node20: nodeBinary(20),
    node24: nodeBinary(24),
    bun: join(packageDir('bun'), 'bin/bun.exe'),
    deno: join(packageDir('deno'), 'deno'),
  }
}

export interface Server {
  url: string
  output(): string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

/** Start `argv` in `cwd` with PORT set, and resolve once `GET /health` answers 200. */
export async function startServer(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort()
  const [command = '', ...args] = argv
  const child = spawn(command, args, {
    cwd,
    env: cleanEnv({ ...env, PORT: String(port) }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk))
  const exited = () => child.exitCode !== null || child.signalCode !== null
  const stop = async () => {
    if (exited()) return
    const gone = once(child, 'exit')
    killGroup(child, 'SIGTERM')
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 300 && !exited(); attempt++) {
    const ready = await fetch(`${url}/health`).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ready) return { url, output: () => text, stop }
    await new Promise((r) => setTimeout(r, 100))
  }
  await stop()
  throw new Error(`${argv.join(' ')} did not answer on /health:\n${text}`)
}
