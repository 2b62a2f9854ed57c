/**
 * `pnpm bench:http`: requests/s and p99 latency of `GET /me` through the Node adapter, next to the
 * unprotected app and to peers, in one run (about 6 minutes). Every server runs in its own process;
 * autocannon drives it from this one, over loopback, for a bounded time. Prints a markdown table
 * and writes the raw figures to `bench/results/http.json`. `BENCH_QUICK=1` runs a short smoke
 * version. Bun and Deno serve the same Covet handler through their adapters.
 */
import { spawn } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJwtAuth } from '@covet/core'
import autocannon from 'autocannon'

const here = dirname(fileURLToPath(import.meta.url))
const bench = join(here, '..')
const require = createRequire(import.meta.url)
const quick = process.env.BENCH_QUICK === '1'
const load = {
  connections: 32,
  duration: quick ? 1 : 3,
  rounds: Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 5)),
}
// JIT warm-up before measuring: the first second of a Node server is several times slower.
const warmupSeconds = quick ? 0.5 : 2

// Keys and tokens, made here and handed to every server through the environment.
const secret = randomBytes(48).toString('base64url')
const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
})
const claims = { issuer: 'https://bench.covet.example', audience: 'bench', accessTokenTtl: '1h' }
const hs = await createJwtAuth({ ...claims, algorithm: 'HS256', keys: secret })
const rs = await createJwtAuth({ ...claims, algorithm: 'RS256', keys: rsa.privateKey })
const tokens = { HS256: await hs.createToken('bench-user'), RS256: await rs.createToken('bench-user') }
// A forged HS256 token: one signature character changed, so that verification runs and fails.
const forged = (() => {
  const [h, p, s] = tokens.HS256.split('.')
  const i = Math.floor(s.length / 2)
  return `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`
})()
const env = { BENCH_SECRET: secret, BENCH_RSA_PRIVATE: rsa.privateKey, BENCH_RSA_PUBLIC: rsa.publicKey }

const binaries = {
  node: [process.execPath, join(here, 'servers/node.mjs')],
  bun: [
    join(dirname(require.resolve('bun/package.json')), 'bin/bun.exe'),
    'run',
    join(here, 'servers/runtime.mjs'),
  ],
  deno: [
    join(dirname(require.resolve('deno/package.json')), 'deno'),
    'run',
    '--allow-net',
    '--allow-env',
    join(here, 'servers/runtime.mjs'),
  ],
}

/**
 * [key, runtime, contender, token, expected status]. The two sides of every target ratio sit next
 * to each other, so each round measures them back to back (in alternating order, see below).
 */
const cases = [
  ['unprotected', 'node', 'covet:unprotected', undefined, 200],
  ['covet HS256 cache on', 'node', 'covet:HS256-cache', tokens.HS256, 200],
  ['covet HS256 cache on, instrumented, no SDK', 'node', 'covet:HS256-cache-otel', tokens.HS256, 200],
  ['covet RS256 cache on', 'node', 'covet:RS256-cache', tokens.RS256, 200],
  ['@whatwg-node/server alone', 'node', 'whatwg:', undefined, 200],
  ['covet HS256 cache off', 'node', 'covet:HS256-nocache', tokens.HS256, 200],
  ['jose by hand HS256', 'node', 'jose:HS256', tokens.HS256, 200],
  ['covet RS256 cache off', 'node', 'covet:RS256-nocache', tokens.RS256, 200],
  ['jose by hand RS256', 'node', 'jose:RS256', tokens.RS256, 200],
  ['hono/jwt HS256', 'node', 'hono:HS256', tokens.HS256, 200],
  ['hono/jwt RS256', 'node', 'hono:RS256', tokens.RS256, 200],
  ['fastify-jwt HS256', 'node', 'fastify:HS256', tokens.HS256, 200],
  ['fastify-jwt RS256', 'node', 'fastify:RS256', tokens.RS256, 200],
  ['covet 401 (forged HS256)', 'node', 'covet:HS256-cache', forged, 401],
  ['jose by hand 401 (forged HS256)', 'node', 'jose:HS256', forged, 401],
  ['bun unprotected', 'bun', 'covet:unprotected', undefined, 200],
  ['bun covet HS256 cache on', 'bun', 'covet:HS256-cache', tokens.HS256, 200],
  ['bun covet RS256 cache off', 'bun', 'covet:RS256-nocache', tokens.RS256, 200],
  ['deno unprotected', 'deno', 'covet:unprotected', undefined, 200],
  ['deno covet HS256 cache on', 'deno', 'covet:HS256-cache', tokens.HS256, 200],
  ['deno covet RS256 cache off', 'deno', 'covet:RS256-nocache', tokens.RS256, 200],
]

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  return port
}

/** Start one server in its own process group; resolve once it prints `ready`. */
async function startServer(runtime, contender) {
  const port = await freePort()
  const [command, ...args] = binaries[runtime]
  const child = spawn(command, args, {
    cwd: bench,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), BENCH_CONTENDER: contender, NODE_ENV: 'production' },
  })
  let output = ''
  child.stderr.on('data', (chunk) => (output += chunk))
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (output.includes('ready')) resolve()
    })
    child.once('exit', () => reject(new Error(`${contender} on ${runtime} exited:\n${output}`)))
    setTimeout(() => reject(new Error(`${contender} on ${runtime} not ready:\n${output}`)), 30_000).unref()
  })
  await ready
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    process.kill(-child.pid, 'SIGKILL')
    await exited
  }
  return { port, stop }
}

// BENCH_ONLY=<regexp> keeps the contenders whose name matches (for a focused A/B run).
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)
const selected = cases.filter(([key]) => only === undefined || only.test(key))

/** One measured stretch against `entry`; throws on any error or unexpected status. */
async function measure(entry, seconds) {
  const result = await autocannon({ ...entry.request, duration: seconds })
  const wrong = entry.status === 200 ? result.non2xx : result.requests.total - result['4xx']
  if (result.errors > 0 || wrong > 0)
    throw new Error(`${entry.key}: ${result.errors} errors, ${wrong} unexpected statuses`)
  return { rps: result.requests.average, p99: result.latency.p99 }
}

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]

// Every server starts and warms up first; then the contenders are measured in interleaved rounds
// (A B C …, … C B A) and each reports its median round, so background load hits all alike.
const entries = []
try {
  for (const [key, runtime, contender, token, status] of selected) {
    const server = await startServer(runtime, contender)
    const headers = token === undefined ? {} : { authorization: `Bearer ${token}` }
    const entry = { key, runtime, status, server, rounds: [] }
    entry.request = { url: `http://127.0.0.1:${server.port}/me`, connections: load.connections, headers }
    entries.push(entry)
    await measure(entry, warmupSeconds)
  }
  for (let round = 0; round < load.rounds; round++) {
    // Every other round runs backwards, so no contender always follows the same neighbour.
    for (const entry of round % 2 === 0 ? entries : entries.toReversed()) {
      entry.rounds.push(await measure(entry, load.duration))
    }
    process.stderr.write(`round ${round + 1}/${load.rounds} done\n`)
  }
} finally {
  await Promise.all(entries.map((entry) => entry.server.stop()))
}
const results = entries.map(({ key, runtime, rounds }) => ({
  key,
  runtime,
  rps: Math.round(median(rounds.map((r) => r.rps))),
  p99: median(rounds.map((r) => r.p99)),
  rounds: rounds.map((r) => Math.round(r.rps)),
}))

const by = Object.fromEntries(results.map((r) => [r.key, r]))
const baseline = (r) =>
  r.key.includes('401')
    ? by['jose by hand 401 (forged HS256)']
    : by[`${r.runtime === 'node' ? '' : `${r.runtime} `}unprotected`]
/**
 * The median of per-round ratios: both contenders of a ratio ran in every round, minutes apart at
 * most, so drift in the machine's speed cancels within a round and the median drops outliers.
 */
const roundRatio = (a, b) => median(a.rounds.map((rps, i) => rps / b.rounds[i]))
const rows = results.map((r) => {
  const base = baseline(r)
  const ratio = base === undefined ? '' : `${roundRatio(r, base).toFixed(2)}× ${base.key}`
  return `| ${r.key} | ${r.rps} | ${r.p99} | ${ratio} |`
})
console.log(
  `\nGET /me, ${load.connections} connections, ${warmupSeconds} s warm-up, median of ${load.rounds} interleaved rounds of ${load.duration} s (ratios: median of per-round ratios), ${cpus().length} cores, Node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}\n`,
)
console.log('| contender | req/s | p99 ms | ratio |\n|---|---:|---:|---|')
console.log(rows.join('\n'))
const ratio = (a, b) => (by[a] && by[b] ? roundRatio(by[a], by[b]) : Number.NaN)
console.log(
  `\ncache off vs jose by hand: HS256 ${ratio('covet HS256 cache off', 'jose by hand HS256').toFixed(2)}×, RS256 ${ratio('covet RS256 cache off', 'jose by hand RS256').toFixed(2)}× (target ≥ 0.95)`,
)
console.log(
  `cache on vs unprotected: HS256 ${ratio('covet HS256 cache on', 'unprotected').toFixed(2)}×, RS256 ${ratio('covet RS256 cache on', 'unprotected').toFixed(2)}× (target ≥ 0.7)`,
)
console.log(
  `instrument(auth) without an SDK vs not instrumented, HS256 cache on: ${ratio('covet HS256 cache on, instrumented, no SDK', 'covet HS256 cache on').toFixed(2)}× (target ≥ 0.98)`,
)
console.log(
  `401 vs jose by hand's 401: ${ratio('covet 401 (forged HS256)', 'jose by hand 401 (forged HS256)').toFixed(2)}× (target ≥ 1)`,
)

await mkdir(join(bench, 'results'), { recursive: true })
await writeFile(
  join(bench, 'results/http.json'),
  `${JSON.stringify({ load, warmupSeconds, node: process.version, loadavg: loadavg(), results }, null, 2)}\n`,
)
