/**
 * `pnpm bench:instructions`: the instructions a server runs per request, counted by valgrind's
 * callgrind. A count, not a time: it repeats within about 1 % where timings on a noisy machine
 * wander ±5 % a round, so it shows what a change to Covet's path saves. Bun and Deno: each server
 * of servers/runtime.mjs (bare, the reads together and each alone, the README's handler with the
 * cache). Node: srvx bare and srvx with the three reads, Covet's adapter without auth (bare, and
 * with the same reads) and the README's handler with the cache on, and the README's handler with the
 * cache off next to jose by hand in the same adapter (servers/node.mjs), where every request
 * verifies a signature; Node under callgrind is slow (a minute or more a row).
 * Each runs under callgrind; after BENCH_WARM requests (default 20,000: the JIT
 * compilers are done by then) the counters are zeroed, BENCH_COUNT more (default 20,000) are sent
 * over four keep-alive connections, and the counters are read: the main thread's, and the other
 * threads' (JIT compilers, the collector's helpers, Node's thread pool, where WebCrypto verifies;
 * valgrind's emulated CPU runs OpenSSL's slower generic code, so that share is larger than on
 * the real CPU). The kernel's part of a request (about half of its time here) is not counted:
 * these are the runtime's and Covet's own work, not throughput, which `pnpm bench:http` measures.
 * BENCH_ONLY=<regexp> picks contenders. BENCH_PROFILE=1 keeps callgrind's files and, for Node
 * and Deno, has V8 write the names of its compiled code (`--perf-basic-prof`) so they can be
 * matched with callgrind's addresses; the directories are printed. Needs valgrind.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { freePort } from './free-port.mjs'
import { benchDir, benchKeys, PERF_NAMES, runtimes } from './runtimes.mjs'

if (spawnSync('valgrind', ['--version']).error) {
  throw new Error('bench:instructions needs valgrind (apt-get install -y valgrind)')
}
const warm = Number(process.env.BENCH_WARM ?? 20_000)
const count = Number(process.env.BENCH_COUNT ?? 20_000)
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)
const profile = process.env.BENCH_PROFILE === '1'

const THOUSAND = ', a thousand tokens in turn'
/**
 * [name, runtime, BENCH_CONTENDER, token]: Bun's and Deno's bare, reads and cached rows; Node's
 * srvx bare and reads, the adapter without auth (bare, and with the same reads) and the README
 * handler, and the cache-off pairs.
 */
const CONTENDERS = [
  ...['bun', 'deno'].flatMap((runtime) => [
    [`${runtime} bare`, runtime, 'runtime:bare', 'HS256'],
    [`${runtime} reads: URL, Host and Authorization read, nothing else`, runtime, 'runtime:reads', 'HS256'],
    [`${runtime} reads: Authorization alone`, runtime, 'runtime:read-authorization', 'HS256'],
    [`${runtime} reads: URL alone`, runtime, 'runtime:read-url', 'HS256'],
    [`${runtime} covet HS256 cache on`, runtime, 'runtime:HS256-cache', 'HS256'],
    // Each request with another of a thousand valid tokens, as bench:http's rows of that name.
    [`${runtime} bare${THOUSAND}`, runtime, 'runtime:bare', 'each HS256'],
    [`${runtime} covet HS256 cache on${THOUSAND}`, runtime, 'runtime:HS256-cache', 'each HS256'],
  ]),
  ['node srvx bare', 'node', 'srvx:', 'HS256'],
  ['node srvx reads: URL, Host and Authorization read, nothing else', 'node', 'srvx:reads', 'HS256'],
  ['node covet, no auth', 'node', 'covet:none', 'HS256'],
  ['node covet, no auth, the same reads', 'node', 'covet:reads', 'HS256'],
  ['node covet HS256 cache on', 'node', 'covet:HS256-cache', 'HS256'],
  ...['HS256', 'RS256'].flatMap((algorithm) => [
    [`node covet ${algorithm} cache off`, 'node', `covet:${algorithm}-nocache`, algorithm],
    [`node jose by hand ${algorithm}`, 'node', `jose:${algorithm}`, algorithm],
  ]),
]

const { env: keyEnv, hs, rs } = await benchKeys()
const authorizations = {
  HS256: `Bearer ${await hs.createToken('bench-user')}`,
  // A thousand sessions' tokens, sent in turn: no request repeats the previous one's header.
  'each HS256': await Promise.all(
    Array.from({ length: 1000 }, async () => `Bearer ${await hs.createToken('bench-user')}`),
  ),
  RS256: `Bearer ${await rs.createToken('bench-user')}`,
}

/**
 * `n` requests over four keep-alive connections, each with `Host` and `Authorization` alone (as wrk
 * sends in `bench:http`); an array of `Authorization` values is sent in turn. Throws on any status
 * but 200.
 */
async function send(url, n, authorization) {
  const dispatcher = new Agent({ connections: 4 })
  const values = typeof authorization === 'string' ? [authorization] : authorization
  let sent = 0
  const connection = async () => {
    while (sent < n) {
      const headers = { authorization: values[sent++ % values.length] }
      const response = await request(url, { dispatcher, headers })
      await response.body.arrayBuffer()
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`)
    }
  }
  try {
    await Promise.all([connection(), connection(), connection(), connection()])
  } finally {
    await dispatcher.close()
  }
}

/** The instructions of one callgrind dump, per thread file (`<out>.<dump>-<thread>`). */
async function threadTotals(dir) {
  const totals = []
  for (const file of (await readdir(dir)).filter((name) => /\.1-\d+$/.test(name)).sort()) {
    const summary = /^summary: (\d+)$/m.exec(await readFile(join(dir, file), 'utf8'))
    totals.push(summary === null ? 0 : Number(summary[1]))
  }
  return totals
}

async function measure(runtime, contender, authorization) {
  const dir = await mkdtemp(join(tmpdir(), 'covet-callgrind-'))
  const port = await freePort()
  const [[command, ...args], script] = runtimes[runtime]
  const names = profile ? PERF_NAMES[runtime] : []
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--separate-threads=yes',
      `--callgrind-out-file=${join(dir, 'out')}`,
      command,
      ...args,
      ...names,
      script,
    ],
    {
      cwd: benchDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        BENCH_CONTENDER: contender,
        ...keyEnv,
        NODE_ENV: 'production',
      },
    },
  )
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve())
      child.on('exit', (code) => reject(new Error(`${runtime} ${contender} exited with ${code}`)))
    })
    const url = `http://127.0.0.1:${port}/me`
    await send(url, warm, authorization)
    spawnSync('callgrind_control', ['--zero', String(child.pid)])
    await send(url, count, authorization)
    spawnSync('callgrind_control', ['--dump', String(child.pid)])
    const [main = 0, ...others] = await threadTotals(dir)
    const other = others.reduce((sum, n) => sum + n, 0)
    if (profile) console.log(`${runtime} ${contender}: callgrind files in ${dir}, process ${child.pid}`)
    return { main: main / count, other: other / count }
  } finally {
    child.kill('SIGKILL')
    if (!profile) await rm(dir, { recursive: true, force: true })
  }
}

const rows = []
for (const [name, runtime, contender, token] of CONTENDERS) {
  if (only !== undefined && !only.test(name)) continue
  const { main, other } = await measure(runtime, contender, authorizations[token])
  rows.push({ name, runtime, main, other })
  console.log(`${name}: done`)
}
const fmt = (n) => Math.round(n).toLocaleString('en-US')
console.log(
  `\n${count} requests counted after ${warm}, valgrind --tool=callgrind, instructions per request\n`,
)
console.log(
  'Baseline: the bare server on Bun and Deno; on Node, srvx bare for srvx reads, the adapter without auth and the README handler, and jose by hand with the same algorithm for the cache off.\n',
)
console.log('| contender | main thread | other threads | all | × baseline (main) | × baseline (all) |')
console.log('|---|---:|---:|---:|---:|---:|')
/**
 * A row's baseline: Bun's or Deno's bare server (sent the thousand tokens too, for those rows); for
 * Node's srvx reads, adapter without auth and README handler, srvx bare; for Node's cache-off rows,
 * jose by hand with the same algorithm.
 */
const baselineName = (row) => {
  if (row.runtime !== 'node') return `${row.runtime} bare${row.name.endsWith(THOUSAND) ? THOUSAND : ''}`
  if (!row.name.endsWith(' cache off') && !row.name.startsWith('node jose')) return 'node srvx bare'
  return row.name.replace('covet', 'jose by hand').replace(' cache off', '')
}
for (const row of rows) {
  const base = rows.find((other) => other.name === baselineName(row))
  const all = row.main + row.other
  const main = base === undefined ? '' : (row.main / base.main).toFixed(3)
  const ratio = base === undefined ? '' : (all / (base.main + base.other)).toFixed(3)
  console.log(`| ${row.name} | ${fmt(row.main)} | ${fmt(row.other)} | ${fmt(all)} | ${main} | ${ratio} |`)
}
