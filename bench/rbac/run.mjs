/**
 * `pnpm bench:rbac`: `RbacManager.hasPermission` next to a naive recursive resolver, in one run, on
 * 10,000 roles in a 20-deep hierarchy: 1,000,000 checks each, same queries, answers compared.
 * Rates are medians of interleaved rounds in CPU time, so a busy machine slows both alike.
 * Writes the figures to `bench/results/rbac.json`. `BENCH_QUICK=1` runs 100,000 checks.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { RbacManager } from '@covet/rbac'
import { buildPolicy, buildQueries } from './hierarchy.mjs'
import { naiveResolver } from './naive.mjs'

const LEVELS = 20
const WIDTH = 500
const CHECKS = process.env.BENCH_QUICK === '1' ? 100_000 : 1_000_000
const QUERY_POOL = 4096

const policy = buildPolicy({ levels: LEVELS, width: WIDTH })
const roleCount = Object.keys(policy.roles).length

const heap = () => {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed
}
const heapBefore = heap()
const started = performance.now()
const rbac = new RbacManager(policy)
const buildMs = performance.now() - started
const closureMb = (heap() - heapBefore) / 1e6
const naive = naiveResolver(policy)
const queries = buildQueries(QUERY_POOL, { levels: LEVELS, width: WIDTH })

// Both must give the same answer to every query before their speed means anything.
let granted = 0
for (const [roles, permission] of queries) {
  const fast = rbac.hasPermission(roles, permission)
  if (fast !== naive.hasPermission(roles, permission)) {
    throw new Error(`Disagreement on ${roles[0]} / ${permission}`)
  }
  if (fast) granted++
}

/**
 * Runs `count` checks cycling through the query pool. Returns the CPU milliseconds this process
 * spent (what a check costs, even on a shared, loaded machine) and the wall-clock milliseconds.
 */
function run(check, count) {
  let yes = 0
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  for (let i = 0; i < count; i++) {
    const [roles, permission] = queries[i & (QUERY_POOL - 1)]
    if (check(roles, permission)) yes++
  }
  const wall = performance.now() - wallStart
  const cpu = process.cpuUsage(cpuStart)
  if (yes < 0) throw new Error('unreachable: keeps the loop from being optimised away')
  return { cpu: (cpu.user + cpu.system) / 1000, wall }
}

const contenders = {
  covet: (roles, permission) => rbac.hasPermission(roles, permission),
  naive: (roles, permission) => naive.hasPermission(roles, permission),
}
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {}
// Interleaved rounds (covet, naive, covet, naive, …) so background load hits both alike.
const ROUNDS = 10
const timings = { covet: [], naive: [] }
for (const check of Object.values(contenders)) run(check, CHECKS / 10)
for (let round = 0; round < ROUNDS; round++) {
  for (const [key, check] of Object.entries(contenders)) {
    gc()
    timings[key].push(run(check, CHECKS / ROUNDS))
  }
}
const perSecond = (ms) => Math.round((CHECKS / ROUNDS / ms) * 1000)
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2
}
const results = Object.fromEntries(
  Object.entries(timings).map(([key, rounds]) => [
    key,
    {
      opsPerCpuSec: Math.round(median(rounds.map((r) => perSecond(r.cpu)))),
      opsPerWallSec: Math.round(median(rounds.map((r) => perSecond(r.wall)))),
      cpuMs: Math.round(rounds.reduce((sum, r) => sum + r.cpu, 0)),
      wallMs: Math.round(rounds.reduce((sum, r) => sum + r.wall, 0)),
    },
  ]),
)
const ratio = results.covet.opsPerCpuSec / results.naive.opsPerCpuSec

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const format = (n) => n.toLocaleString('en-US')
console.log(`\nNode ${process.version}, ${cpu}; ${format(roleCount)} roles, ${LEVELS} levels deep,`)
console.log(
  `${format(CHECKS)} checks each in ${ROUNDS} interleaved rounds after a warm-up; ${granted} of ${QUERY_POOL} distinct queries granted.`,
)
console.log(
  `Closure computed once in ${buildMs.toFixed(0)} ms, holding ${closureMb.toFixed(0)} MB of heap.\n`,
)
console.log('| resolver | checks per CPU second | checks per wall second | CPU time, all checks |')
console.log('|---|---:|---:|---:|')
const row = (label, r) =>
  `| ${label} | ${format(r.opsPerCpuSec)} | ${format(r.opsPerWallSec)} | ${format(r.cpuMs)} ms |`
console.log(row('RbacManager.hasPermission', results.covet))
console.log(row('naive recursive resolver', results.naive))
console.log(`\nRbacManager is ${ratio.toFixed(1)}× the naive resolver (medians of the rounds, CPU time).`)

const out = new URL('../results/rbac.json', import.meta.url)
await mkdir(new URL('.', out), { recursive: true })
await writeFile(
  out,
  `${JSON.stringify(
    {
      name: 'rbac',
      node: process.version,
      cpu,
      roles: roleCount,
      levels: LEVELS,
      checks: CHECKS,
      buildMs: Math.round(buildMs),
      closureMb: Math.round(closureMb),
      results,
      ratio: Number(ratio.toFixed(2)),
    },
    null,
    2,
  )}\n`,
)
