/**
 * `pnpm bench:core`: Covet's token engine next to plain jose and fast-jwt, for HS256, RS256, ES256
 * and EdDSA, in one run of about five minutes. Prints a markdown table and writes the raw figures
 * to `bench/results/core.json`. `BENCH_QUICK=1` runs a shorter smoke version.
 *
 * One-at-a-time cases are measured in a child process pinned to one CPU (Linux `taskset`; set
 * `BENCH_CPU` to choose it). Unpinned, the scheduler places each worker thread and the Web Crypto
 * thread pool on CPUs of its choosing and keeps them there: on a shared 2-CPU machine two isolates
 * running the very same jose case differed by up to 1.6× for a whole set of rounds, while pinned
 * they agreed within 2 %. The "in flight" cases stay unpinned: their point is that the thread
 * pool's work overlaps the main thread's on other CPUs.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import {
  CACHE_CASES,
  CONCURRENT_CASES,
  ISSUER_CASES,
  prepare,
  SIGN_CASES,
  VERIFY_CASES,
} from './contenders.mjs'
import { controlRatios, jsonRows, markdownTable, missedTargets, TARGETS } from './report.mjs'

const ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA']
const quick = process.env.BENCH_QUICK === '1'
const settings = quick
  ? { warmupMs: 50, roundMs: 40, rounds: 3, isolates: 1 }
  : { warmupMs: 300, roundMs: 60, rounds: 16, isolates: 3 }
/**
 * The cases the no-cache target compares: many short rounds (noise on a shared machine comes in
 * bursts, and each burst should hit both sides of a ratio alike) in six fresh sets of isolates.
 */
const verifySettings = quick ? settings : { warmupMs: 300, roundMs: 15, rounds: 100, isolates: 6 }
const MEASURE = fileURLToPath(new URL('./measure.mjs', import.meta.url))
const pinning = pinningCommand()

const started = performance.now()
const loadBefore = loadavg()
const results = new Map()
for (const alg of ALGORITHMS) {
  const material = await prepare(alg)
  const pinned = await measureInChild(pinning.prefix, material, [
    { keys: VERIFY_CASES, settings: verifySettings },
    // Another issuer's tokens: the target is set for RS256, the algorithm issuers sign with most.
    ...(alg === 'RS256' ? [{ keys: ISSUER_CASES, settings: verifySettings }] : []),
    { keys: CACHE_CASES, settings },
    { keys: SIGN_CASES, settings },
  ])
  const unpinned = await measureInChild([], material, [{ keys: CONCURRENT_CASES, settings }])
  results.set(alg, new Map([...pinned, ...unpinned]))
  process.stderr.write(`${alg} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`)
}

/** `taskset -c <cpu>` when it works here, with the CPU it names; nothing otherwise. */
function pinningCommand() {
  const cpu = process.env.BENCH_CPU ?? String(cpus().length - 1)
  const probe = spawnSync('taskset', ['-c', cpu, process.execPath, '-e', ''], { stdio: 'ignore' })
  return probe.status === 0 ? { prefix: ['taskset', '-c', cpu], cpu } : { prefix: [], cpu: undefined }
}

/** Runs measure.mjs (under `prefix`, e.g. taskset) on the groups; resolves to case → figures. */
function measureInChild(prefix, material, groups) {
  const [command, ...args] = [...prefix, process.execPath, MEASURE]
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  child.stdin.end(JSON.stringify({ material, groups }))
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(new Map(JSON.parse(output)))
      else reject(new Error(`measure.mjs exited with ${code}`))
    })
  })
}

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const load = { before: loadBefore.map(round2), after: loadavg().map(round2) }
const header =
  `Node ${process.version}, ${cpu}, ${cpus().length} cores; one token at a time unless "in flight" says otherwise, ` +
  `each case in its own worker isolate, median of ${settings.rounds} interleaved rounds of ${settings.roundMs} ms after ${settings.warmupMs} ms warm-up, pooled over ${settings.isolates} fresh sets of isolates ` +
  `(no-cache cases: ${verifySettings.rounds} rounds of ${verifySettings.roundMs} ms, ${verifySettings.isolates} sets); ratios are medians of per-round ratios; ` +
  `${pinning.cpu === undefined ? 'no CPU pinning available (taskset): figures are noisier' : `one-at-a-time cases pinned to CPU ${pinning.cpu}, "in flight" cases unpinned`}. ` +
  `Load average (1, 5, 15 min) ${load.before.join(' ')} before, ${load.after.join(' ')} after: ` +
  'figures move with other work on the machine.'
console.log(`\n${header}\n`)
console.log(markdownTable(results))
const missed = missedTargets(results)
console.log(
  missed.length === 0
    ? '\nEvery target met.'
    : `\nTargets missed:\n${missed.map((m) => `- ${m}`).join('\n')}`,
)

const out = new URL('../results/core.json', import.meta.url)
await mkdir(new URL('.', out), { recursive: true })
await writeFile(
  out,
  `${JSON.stringify(
    {
      name: 'core',
      node: process.version,
      cpu,
      loadavg: load,
      settings,
      verifySettings,
      pinnedCpu: pinning.cpu ?? null,
      targets: TARGETS,
      controlRatios: controlRatios(results),
      rows: jsonRows(results),
    },
    null,
    2,
  )}\n`,
)
console.log(
  `\nRaw figures: bench/results/core.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`,
)

function round2(value) {
  return Math.round(value * 100) / 100
}
