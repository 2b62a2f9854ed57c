/**
 * `pnpm bench:core`: Covet's token engine next to plain jose and fast-jwt, for HS256, RS256, ES256
 * and EdDSA, in one run of about a minute. Prints a markdown table and writes the raw figures to
 * `bench/results/core.json`. `BENCH_QUICK=1` runs a shorter smoke version.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { CACHE_CASES, CONCURRENT_CASES, prepare, SIGN_CASES, VERIFY_CASES } from './contenders.mjs'
import { measureGroup } from './harness.mjs'
import { jsonRows, markdownTable, missedTargets, TARGETS } from './report.mjs'

const ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA']
const settings =
  process.env.BENCH_QUICK === '1'
    ? { warmupMs: 50, roundMs: 40, rounds: 3, isolates: 1 }
    : { warmupMs: 300, roundMs: 60, rounds: 16, isolates: 3 }
/** The pair the no-cache target compares gets more fresh isolates than the rest. */
const verifySettings = { ...settings, isolates: settings.isolates * 2 }

const started = performance.now()
const loadBefore = loadavg()
const results = new Map()
for (const alg of ALGORITHMS) {
  const material = await prepare(alg)
  const figures = new Map([
    ...(await measureGroup(VERIFY_CASES, material, verifySettings)),
    ...(await measureGroup(CACHE_CASES, material, settings)),
    ...(await measureGroup(CONCURRENT_CASES, material, settings)),
    ...(await measureGroup(SIGN_CASES, material, settings)),
  ])
  results.set(alg, figures)
  process.stderr.write(`${alg} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`)
}

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const load = { before: loadBefore.map(round2), after: loadavg().map(round2) }
const header =
  `Node ${process.version}, ${cpu}, ${cpus().length} cores; one token at a time unless "in flight" says otherwise, ` +
  `each case in its own worker isolate, median of ${settings.rounds} interleaved rounds of ${settings.roundMs} ms after ${settings.warmupMs} ms warm-up, pooled over ${settings.isolates} fresh sets of isolates (${verifySettings.isolates} for the no-cache pair); ratios are medians of per-round ratios` +
  `${typeof globalThis.gc === 'function' ? ', GC before each round' : ''}. ` +
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
      targets: TARGETS,
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
