/**
 * The load generator: wrk pinned to one CPU, the server to another (`taskset`), so that neither
 * steals the other's core. Throws with what to install when wrk or taskset is missing.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** The CPUs: the server on one, wrk on another (override with BENCH_SERVER_CPU / BENCH_LOAD_CPU). */
export const cpus = {
  server: process.env.BENCH_SERVER_CPU ?? '1',
  load: process.env.BENCH_LOAD_CPU ?? '0',
}

/** Throws a message naming the missing tool and the command that installs it. */
export function checkTools() {
  const missing = []
  if (spawnSync('wrk', ['--version']).error) missing.push('wrk (apt-get install -y wrk)')
  if (spawnSync('taskset', ['--version']).error) missing.push('taskset (apt-get install -y util-linux)')
  if (missing.length > 0) throw new Error(`bench:http needs ${missing.join(' and ')}`)
  if (availableParallelism() < 2 && process.env.BENCH_SERVER_CPU === undefined) {
    throw new Error('bench:http pins the server and wrk to two different CPUs: this machine has one')
  }
}

/** The command prefix that runs a process on the server's CPU. */
export const onServerCpu = (command, args) => ['taskset', ['-c', cpus.server, command, ...args]]

/** The `taskset` arguments of one wrk run of `seconds` against `target` (see `wrk`). */
function wrkArgs({ url, headers, connections, script, scriptArgs = [] }, seconds) {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const scriptOptions = script === undefined ? [] : ['-s', script]
  const scriptTail = script === undefined ? [] : ['--', ...scriptArgs]
  return [
    '-c',
    cpus.load,
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    // wrk's own 2 s would count a slow answer on a loaded machine as a socket error.
    '--timeout',
    '10s',
    ...scriptOptions,
    ...headerArgs,
    url,
    ...scriptTail,
  ]
}

/**
 * What wrk printed: requests/s, the count of requests, p99 latency in ms, and the count of responses
 * whose status was not 2xx/3xx and of socket errors.
 */
export function parseWrk(out) {
  const number = (re) => Number(re.exec(out)?.[1] ?? 0)
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\b/m.exec(out)
  const scale = { us: 0.001, ms: 1, s: 1000 }
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    total: number(/(\d+) requests in/),
    p99: p99 ? Number(p99[1]) * scale[p99[2]] : Number.NaN,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
    errors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  }
}

/**
 * One wrk run of `seconds` against `url` (`parseWrk` says what it returns). `script` (a Lua file)
 * and its `scriptArgs` shape each request (a DPoP proof per request, see header-values.lua).
 */
export function wrk(target, seconds) {
  return parseWrk(execFileSync('taskset', wrkArgs(target, seconds), { encoding: 'utf8' }))
}

/** `wrk`, without blocking: several run at once, each against its own server (paired.mjs). */
export async function wrkAsync(target, seconds) {
  const { stdout } = await execFileAsync('taskset', wrkArgs(target, seconds), { encoding: 'utf8' })
  return parseWrk(stdout)
}
