/**
 * `pnpm bench:profile`: where a server's CPU time goes, per request, under the load of `bench:http`
 * (wrk on one CPU, the server alone on another). Linux perf samples the server's threads at
 * BENCH_FREQUENCY (4,000) a second while wrk runs for BENCH_SECONDS (4) after a 2 s warm-up, and
 * the samples are split by where they fell: the kernel, the runtime's own binary, libc, the vDSO
 * (clock reads) and compiled JavaScript, with the JavaScript functions that took most by name.
 * Shares of one stretch's samples are shown, beside the CPU time per request they add up to: on a
 * shared virtual machine the speed of a CPU drifts from one stretch to the next (the same server
 * took from 7 to 11 µs a request), and a share is measured within one stretch.
 * V8 (Node, Deno) names its code in perf's map (`--perf-basic-prof`); JavaScriptCore (Bun) in a
 * jitdump, turned into a map (jitdump.mjs). A sample is a time, not a count: this shows what a
 * request costs where it runs, kernel included, which `bench:instructions` leaves out.
 * BENCH_ROUNDS (3, each contender once a round, every other round backwards; medians shown),
 * BENCH_ONLY=<regexp>, BENCH_TOP (6 functions a row). Needs perf (apt-get install -y linux-perf)
 * and the right to profile another process (root, or kernel.perf_event_paranoid ≤ 1).
 */
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { freePort } from './free-port.mjs'
import { perfMap, readJitdump } from './jitdump.mjs'
import { checkTools, cpus, onServerCpu, wrk } from './load.mjs'
import { median } from './median.mjs'
import { benchDir, benchKeys, PERF_NAMES, runtimes } from './runtimes.mjs'
import { countSamples, PARTS } from './samples.mjs'

checkTools()
if (spawnSync('perf', ['--version']).error) {
  throw new Error('bench:profile needs perf (apt-get install -y linux-perf)')
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 4)
const frequency = Number(process.env.BENCH_FREQUENCY ?? 4000)
const top = Number(process.env.BENCH_TOP ?? 6)
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)
/** perf reads the names of compiled code from `/tmp/perf-<pid>.map`, wherever the system's temporary directory is. */
const PERF_MAP_DIR = '/tmp'

/** [name, runtime, BENCH_CONTENDER, token]: the rows of `bench:http` whose costs are compared. */
const CONTENDERS = [
  ...['bun', 'deno'].flatMap((runtime) => [
    [`${runtime} bare`, runtime, 'runtime:bare', 'HS256'],
    [`${runtime} reads: URL, Host and Authorization read, nothing else`, runtime, 'runtime:reads', 'HS256'],
    [`${runtime} covet HS256 cache on`, runtime, 'runtime:HS256-cache', 'HS256'],
    [`${runtime} floor, a thousand tokens in turn`, runtime, 'runtime:floor', 'each HS256'],
    [
      `${runtime} covet HS256 cache on, a thousand tokens in turn`,
      runtime,
      'runtime:HS256-cache',
      'each HS256',
    ],
  ]),
  ['node srvx bare', 'node', 'srvx:', 'HS256'],
  ['node srvx reads: URL, Host and Authorization read, nothing else', 'node', 'srvx:reads', 'HS256'],
  ['node covet, no auth', 'node', 'covet:none', 'HS256'],
  ['node covet HS256 cache on', 'node', 'covet:HS256-cache', 'HS256'],
  ['node covet RS256 cache off', 'node', 'covet:RS256-nocache', 'RS256'],
  ['node jose by hand RS256', 'node', 'jose:RS256', 'RS256'],
].filter(([name]) => only === undefined || only.test(name))

const { env: keyEnv, hs, rs } = await benchKeys()
const tokens = { HS256: await hs.createToken('bench-user'), RS256: await rs.createToken('bench-user') }
/** A thousand valid tokens of different sessions, sent in turn (header-values.lua), as bench:http's rows of that name. */
const sessions = await Promise.all(Array.from({ length: 1000 }, () => hs.createToken('bench-user')))

/** Start `contender` on the server CPU; resolve once it prints `ready`. */
async function startServer(runtime, contender, dir) {
  const port = await freePort()
  const [[command, ...args], script] = runtimes[runtime]
  const [taskset, tasksetArgs] = onServerCpu(command, [...args, ...PERF_NAMES[runtime], script])
  // JavaScriptCore writes the names of its code to a jitdump in `dir` (see jitdump.mjs).
  const jitdump = runtime === 'bun' ? { BUN_JSC_useJITDump: '1', BUN_JSC_jitDumpDirectory: dir } : {}
  const child = spawn(taskset, tasksetArgs, {
    cwd: benchDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...jitdump,
      PORT: String(port),
      BENCH_CONTENDER: contender,
      ...keyEnv,
      NODE_ENV: 'production',
    },
  })
  let output = ''
  child.stderr.on('data', (chunk) => (output += chunk))
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve())
    child.once('exit', () => reject(new Error(`${contender} on ${runtime} exited:\n${output}`)))
    setTimeout(() => reject(new Error(`${contender} on ${runtime} not ready:\n${output}`)), 30_000).unref()
  }).catch((error) => {
    child.kill('SIGKILL')
    throw error
  })
  return { port, child }
}

/** perf's samples of one profile, by part and by compiled function (samples.mjs). */
function samplesOf(file, runtime) {
  const report = spawnSync(
    'perf',
    ['report', '-i', file, '--stdio', '-q', '--no-children', '-F', 'sample,dso,sym', '-t', '|'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
  if (report.status !== 0) throw new Error(`perf report failed: ${report.stderr}`)
  return countSamples(report.stdout, basename(runtimes[runtime][0][0]))
}

/** One profiled stretch of `entry`: CPU µs per request, split by part and by function. */
async function profileOnce([name, runtime, contender, token]) {
  const dir = await mkdtemp(join(tmpdir(), 'covet-profile-'))
  const { port, child } = await startServer(runtime, contender, dir)
  const pid = child.pid
  try {
    const each = token === 'each HS256'
    const target = {
      url: `http://127.0.0.1:${port}/me`,
      headers: { authorization: `Bearer ${each ? sessions[0] : tokens[token]}` },
      connections: 32,
    }
    if (each) {
      const values = join(dir, 'tokens.txt')
      await writeFile(values, `${sessions.join('\n')}\n`)
      Object.assign(target, {
        script: join(benchDir, 'http', 'header-values.lua'),
        scriptArgs: [values, 'authorization', 'cycle', 'Bearer '],
      })
    }
    const answer = await fetch(target.url, { headers: target.headers })
    if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${await answer.text()}`)
    wrk(target, 2)
    const file = join(dir, 'perf.data')
    const perf = spawn(
      'taskset',
      [
        '-c',
        cpus.load,
        'perf',
        'record',
        '-q',
        '-e',
        'cpu-clock',
        '-F',
        String(frequency),
        '-p',
        String(pid),
        '-o',
        file,
        '--',
        'sleep',
        String(seconds),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const load = wrk(target, seconds)
    const [code] = await once(perf, 'exit')
    if (code !== 0) throw new Error(`perf record exited with ${code}: is profiling allowed here?`)
    if (runtime === 'bun') {
      const [dump] = (await readdir(dir)).filter((file) => file.endsWith('.dump'))
      if (dump === undefined) throw new Error(`${name}: Bun wrote no jitdump (BUN_JSC_useJITDump)`)
      const { loads } = readJitdump(await readFile(join(dir, dump)))
      await writeFile(join(PERF_MAP_DIR, `perf-${pid}.map`), perfMap(loads))
    }
    if (load.non2xx > 0 || load.errors > 0)
      throw new Error(`${name}: ${load.non2xx} failed, ${load.errors} socket errors`)
    const { total, parts, functions } = samplesOf(file, runtime)
    // perf samples the process's threads while they run, interrupts in their time included.
    const perRequest = (total / frequency / load.total) * 1e6
    const share = (samples) => (100 * samples) / total
    return {
      rps: load.rps,
      perRequest,
      parts: Object.fromEntries(Object.entries(parts).map(([part, samples]) => [part, share(samples)])),
      functions: new Map([...functions].map(([fn, samples]) => [fn, share(samples)])),
    }
  } finally {
    child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
    await rm(join(PERF_MAP_DIR, `perf-${pid}.map`), { force: true })
  }
}

const results = new Map(CONTENDERS.map(([name]) => [name, []]))
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse()
  for (const entry of order) results.get(entry[0]).push(await profileOnce(entry))
  console.error(`round ${round + 1}/${rounds} done`)
}

const fixed = (n, digits) => n.toFixed(digits)
console.log(
  `\nShare of the server's CPU samples (perf, ${frequency} Hz, over ${seconds} s of wrk -c32), and the CPU time per request they add up to; median of ${rounds} rounds; the server alone on CPU ${cpus.server}, wrk and perf on CPU ${cpus.load}\n`,
)
console.log(`| contender | req/s | µs per request | ${PARTS.map((part) => `${part} %`).join(' | ')} |`)
console.log(`|---|---:|---:|${PARTS.map(() => '---:').join('|')}|`)
for (const [name, runs] of results) {
  const cells = PARTS.map((part) => fixed(median(runs.map((run) => run.parts[part])), 2))
  console.log(
    `| ${name} | ${Math.round(median(runs.map((run) => run.rps)))} | ${fixed(median(runs.map((run) => run.perRequest)), 2)} | ${cells.join(' | ')} |`,
  )
}
console.log(
  `\nCompiled JavaScript, the ${top} functions that took most (% of the server's samples, median of ${rounds} rounds):\n`,
)
for (const [name, runs] of results) {
  const names = new Set(runs.flatMap((run) => [...run.functions.keys()]))
  const costs = [...names].map((fn) => [fn, median(runs.map((run) => run.functions.get(fn) ?? 0))])
  costs.sort((a, b) => b[1] - a[1])
  const shown = costs.slice(0, top).map(([fn, cost]) => `${fn} ${fixed(cost, 2)}`)
  console.log(`- ${name}: ${shown.join(', ')}`)
}
