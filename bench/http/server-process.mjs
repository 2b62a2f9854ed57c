/**
 * A contender's server process: started on the server CPU (load.mjs), in its own process group so
 * that stopping it stops any process it started, on a free port, ready once it prints `ready`.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { freePort } from './free-port.mjs'
import { onServerCpu } from './load.mjs'

/**
 * Run `command` with `args` on the server CPU with `env` and `PORT` set; resolves with its port, its
 * pid and `stop()` once it prints `ready`, rejects with its output if it exits first or takes 30 s.
 */
export async function startServerProcess(command, args, { cwd, env, label }) {
  const port = await freePort()
  const [taskset, tasksetArgs] = onServerCpu(command, args)
  const child = spawn(taskset, tasksetArgs, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: 'production' },
  })
  let output = ''
  child.stderr.on('data', (chunk) => (output += chunk))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    process.kill(-child.pid, 'SIGKILL')
    await exited
  }
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk
        if (output.includes('ready')) resolve()
      })
      child.once('exit', () => reject(new Error(`${label} exited:\n${output}`)))
      setTimeout(() => reject(new Error(`${label} not ready:\n${output}`)), 30_000).unref()
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { port, pid: child.pid, stop }
}

/**
 * Both servers of a pair, started with `start` one after the other; when the second cannot start,
 * the first is stopped before the error goes on, so that no server is left holding the server CPU.
 */
export async function startBoth(start, first, second) {
  const started = await start(first)
  try {
    return [started, await start(second)]
  } catch (error) {
    await started.stop()
    throw error
  }
}
