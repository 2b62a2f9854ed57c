import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/** The repository root, where the README's commands run. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
/** The built server `pnpm demo` ends up running. */
export const SERVER = fileURLToPath(new URL('../../dist/server.js', import.meta.url))

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A spawned process group and everything it printed. */
export interface Spawned {
  readonly child: ChildProcess
  output(): string
  /** Resolves the exit code (or the signal's name) once the process ends. */
  readonly exited: Promise<number | string>
  /** Ends the whole process group: SIGTERM, then SIGKILL if it lingers. */
  kill(): Promise<void>
}

/** The environment of a spawned demo: ours minus any demo setting, plus `extra`. */
export function demoEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }
  for (const name of Object.keys(env)) {
    if (/^(COVET_|REDIS_URL$|PORT$|HOST$|OTEL_EXPORTER_PROMETHEUS_)/.test(name)) delete env[name]
  }
  return { ...env, ...extra }
}

/** Spawn `command` in its own process group so that it and its children can be ended together. */
export function start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Spawned {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | string>((resolve) => {
    // A child killed by a signal has exitCode null and signalCode set.
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))
  })
  let ended = false
  void exited.then(() => {
    ended = true
  })
  return {
    child,
    output: () => output,
    exited,
    async kill() {
      if (ended || child.pid === undefined) return
      const group = -child.pid
      try {
        process.kill(group, 'SIGTERM')
      } catch {
        return
      }
      const timer = setTimeout(() => {
        try {
          process.kill(group, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }, 5000)
      await exited
      clearTimeout(timer)
      // The group may outlive its leader (npx → pnpm → node): make sure nothing is left.
      try {
        process.kill(group, 'SIGKILL')
      } catch {
        // Nothing left.
      }
    },
  }
}

/** Poll `url` until it answers 200, or fail with what the process printed. */
export async function waitUntilReady(url: string, spawned: Spawned, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let done = false
  void spawned.exited.then(() => {
    done = true
  })
  while (Date.now() < deadline) {
    if (done) throw new Error(`the demo exited before it was ready:\n${spawned.output()}`)
    try {
      const response = await fetch(url)
      if (response.status === 200) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the demo was not ready within ${timeoutMs} ms:\n${spawned.output()}`)
}

/** The README's way: `npx -y pnpm@12.4.2 demo` at the repository root. */
export function startDemoLikeReadme(env: NodeJS.ProcessEnv): Spawned {
  return start('npx', ['-y', 'pnpm@12.4.2', 'demo'], env)
}

/** The built server alone, as the `start` script runs it once `pnpm demo` has built it. */
export function startBuiltDemo(env: NodeJS.ProcessEnv): Spawned {
  return start(process.execPath, [SERVER], env)
}

/** The built `covet` command of packages/cli. */
export const COVET = fileURLToPath(new URL('../../../../packages/cli/dist/bin.js', import.meta.url))

/** Runs `covet …` to completion: its exit code and standard output. */
export function covet(
  args: string[],
  env: NodeJS.ProcessEnv = demoEnv({}),
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COVET, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }))
  })
}
