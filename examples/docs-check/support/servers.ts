import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'

/** A free loopback port: bound, then released. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

/** A process the tests started, in its own process group so every child of it stops too. */
export interface Started {
  output(): string
  stop(): Promise<void>
}

/** Starts `command` detached and resolves once `ready` answers, or rejects with its output. */
export async function start(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; ready: string; timeoutMs: number },
): Promise<Started> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const started: Started = { output: () => output, stop: () => stop(child) }
  const deadline = Date.now() + options.timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break
    try {
      await fetch(options.ready)
      return started
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  await started.stop()
  throw new Error(`${command} ${args.join(' ')} did not answer ${options.ready}:\n${output}`)
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = once(child, 'exit')
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    return
  }
  await exited
}
