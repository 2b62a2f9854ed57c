/**
 * `pnpm bench:instructions`: the instructions a Bun or Deno server runs per request, counted by
 * valgrind's callgrind. A count, not a time: it repeats within about 1 % where timings on a noisy
 * machine wander ±5 % a round, so it shows what a change to Covet's path saves. Each server of
 * servers/runtime.mjs runs under callgrind; after BENCH_WARM requests (default 20,000: the JIT
 * compilers are done by then) the counters are zeroed, BENCH_COUNT more (default 20,000) are sent
 * over four keep-alive connections, and the counters are read: the main thread's, and the other
 * threads' (JIT compilers, the collector's helpers). The kernel's part of a request (about half
 * of its time here) is not counted: these are the runtime's and Covet's own work, not throughput,
 * which `pnpm bench:http` measures. BENCH_ONLY=<regexp> picks contenders. Needs valgrind.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJwtAuth } from '@covet/core'
import { Agent, request } from 'undici'
import { freePort } from './free-port.mjs'

if (spawnSync('valgrind', ['--version']).error) {
  throw new Error('bench:instructions needs valgrind (apt-get install -y valgrind)')
}
const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const warm = Number(process.env.BENCH_WARM ?? 20_000)
const count = Number(process.env.BENCH_COUNT ?? 20_000)
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)

const runtimes = {
  bun: [join(dirname(require.resolve('bun/package.json')), 'bin/bun.exe'), 'run'],
  deno: [join(dirname(require.resolve('deno/package.json')), 'deno'), 'run', '--allow-net', '--allow-env'],
}
/** [name, runtime, servers/runtime.mjs variant]: bare, the three reads, the README's handler. */
const CONTENDERS = Object.keys(runtimes).flatMap((runtime) => [
  [`${runtime} bare`, runtime, 'bare'],
  [`${runtime} reads: URL, Host and Authorization read, nothing else`, runtime, 'reads'],
  [`${runtime} covet HS256 cache on`, runtime, 'HS256-cache'],
])

const secret = randomBytes(48).toString('base64url')
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: secret,
  issuer: 'https://bench.covet.example',
  audience: 'bench',
  accessTokenTtl: '1h',
})
const authorization = `Bearer ${await auth.createToken('bench-user')}`

/**
 * `n` requests over four keep-alive connections, each with `Host` and `Authorization` alone (as wrk
 * sends in `bench:http`); throws on any status but 200.
 */
async function send(url, n) {
  const dispatcher = new Agent({ connections: 4 })
  let sent = 0
  const connection = async () => {
    while (sent++ < n) {
      const response = await request(url, { dispatcher, headers: { authorization } })
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

async function measure(runtime, variant) {
  const dir = await mkdtemp(join(tmpdir(), 'covet-callgrind-'))
  const port = await freePort()
  const [command, ...args] = runtimes[runtime]
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--separate-threads=yes',
      `--callgrind-out-file=${join(dir, 'out')}`,
      command,
      ...args,
      join(here, 'servers/runtime.mjs'),
    ],
    {
      cwd: join(here, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        BENCH_CONTENDER: `runtime:${variant}`,
        BENCH_SECRET: secret,
        NODE_ENV: 'production',
      },
    },
  )
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve())
      child.on('exit', (code) => reject(new Error(`${runtime} ${variant} exited with ${code}`)))
    })
    const url = `http://127.0.0.1:${port}/me`
    await send(url, warm)
    spawnSync('callgrind_control', ['--zero', String(child.pid)])
    await send(url, count)
    spawnSync('callgrind_control', ['--dump', String(child.pid)])
    const [main = 0, ...others] = await threadTotals(dir)
    const other = others.reduce((sum, n) => sum + n, 0)
    return { main: main / count, other: other / count }
  } finally {
    child.kill('SIGKILL')
  }
}

const rows = []
for (const [name, runtime, variant] of CONTENDERS) {
  if (only !== undefined && !only.test(name)) continue
  const { main, other } = await measure(runtime, variant)
  rows.push({ name, runtime, main, other })
  console.log(`${name}: done`)
}
const fmt = (n) => Math.round(n).toLocaleString('en-US')
console.log(
  `\n${count} requests counted after ${warm}, valgrind --tool=callgrind, instructions per request\n`,
)
console.log('| contender | main thread | other threads | all | × bare (all) |')
console.log('|---|---:|---:|---:|---:|')
for (const row of rows) {
  const bare = rows.find((other) => other.runtime === row.runtime && other.name.endsWith(' bare'))
  const all = row.main + row.other
  const ratio = bare === undefined ? '' : (all / (bare.main + bare.other)).toFixed(2)
  console.log(`| ${row.name} | ${fmt(row.main)} | ${fmt(row.other)} | ${fmt(all)} | ${ratio} |`)
}
