/**
 * `pnpm bench:paired`: issue 18's ratios measured two servers at a time. Both servers of a pair run
 * on the server CPU at once, each driven by its own wrk on the load CPU for the same 2 s: whatever
 * the machine's speed does during those seconds (on a shared virtual machine it halves and doubles
 * within a round), it does to both, and the ratio of their requests keeps only what differs between
 * them. Both are kept busy, so the kernel's scheduler shares the CPU between them, and each one's
 * requests per second of its own CPU time (/proc) is printed too. A pair of one server with itself
 * (the controls) shows how far this method's ratios stray from 1 on the machine of the run.
 * What it measures is each server's cost per request when it shares a core: it leaves out a
 * server's idle time, and two processes taking turns on one core evict each other's caches, which
 * `pnpm bench:http` (each server alone on its core) does not. The verdict stays with
 * `bench:http`; this is its witness where that run's rounds swing too widely to decide.
 * Each pair is started BENCH_STARTS (6) times, fresh processes each time; each start is BENCH_ROUNDS
 * (3) rounds of BENCH_SECONDS (2) after a 2 s warm-up of both. A process keeps what its start gave
 * it through all its rounds, so the verdict comes from the interval of the starts' medians (six
 * starts are the fewest whose interval reaches 95 %), not from the rounds taken as independent.
 * BENCH_ONLY=<regexp> picks pairs by name. Writes bench/results/paired.json.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { processCpuMs } from './cpu-time.mjs'
import { checkTools, cpus, wrkAsync } from './load.mjs'
import { decide, median } from './median.mjs'
import { againstSrvxBare, nodeBaseline, PAIRS, pairVerdict, wantedOf } from './pairs.mjs'
import { benchDir, benchKeys, forge, startContender } from './runtimes.mjs'
import { startBoth } from './server-process.mjs'

checkTools()
const starts = Number(process.env.BENCH_STARTS ?? 6)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 2)
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)

/** One stretch of wrk against `server`; throws on a socket error or a status other than `status`. */
async function load(server, authorization, status, stretch) {
  const target = { url: `http://127.0.0.1:${server.port}/me`, headers: { authorization }, connections: 32 }
  const result = await wrkAsync(target, stretch)
  const unexpected = status === 200 ? result.non2xx : result.total - result.non2xx
  if (result.errors > 0 || unexpected > 0 || result.total === 0) {
    throw new Error(`${server.name}: ${result.errors} socket errors, ${unexpected} unexpected statuses`)
  }
  return result.rps
}

/**
 * Both servers of a pair at once, `rounds` times, in one start of their processes: per-round
 * ratios of requests, and of requests per CPU-second.
 */
async function measureStart([name, first, second], env, tokens) {
  const servers = await startBoth(
    ([runtime, contender]) => startContender(runtime, contender, env),
    first,
    second,
  )
  try {
    const plan = [first, second].map(([, , token], i) => ({
      server: { ...servers[i], name: `${name} (${i === 0 ? 'first' : 'second'})` },
      authorization: `Bearer ${tokens[token]}`,
      status: token.startsWith('forged') ? 401 : 200,
    }))
    // A warm-up of both at once, then every round both at once.
    await Promise.all(plan.map(({ server, authorization, status }) => load(server, authorization, status, 2)))
    const ratios = []
    const cpuRatios = []
    for (let round = 0; round < rounds; round++) {
      const cpuBefore = servers.map((server) => processCpuMs(server.pid))
      const rps = await Promise.all(
        plan.map(({ server, authorization, status }) => load(server, authorization, status, seconds)),
      )
      const cpu = servers.map((server, i) => processCpuMs(server.pid) - cpuBefore[i])
      ratios.push(rps[0] / rps[1])
      cpuRatios.push(rps[0] / cpu[0] / (rps[1] / cpu[1]))
    }
    return { ratios, cpuRatios }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

/**
 * A pair measured in `starts` starts of fresh processes: a process keeps what its start gave it
 * (its compiled code, where its memory lies) through all its rounds, and two starts of the same
 * server can differ by more than their rounds do. Each start's rounds are kept apart.
 */
async function measurePair(pair, env, tokens) {
  const startRatios = []
  const cpuRatios = []
  for (let start = 0; start < starts; start++) {
    const measured = await measureStart(pair, env, tokens)
    startRatios.push(measured.ratios)
    cpuRatios.push(...measured.cpuRatios)
  }
  return { startRatios, cpuRatios }
}

const { env, hs, rs } = await benchKeys()
const tokens = { HS256: await hs.createToken('bench-user'), RS256: await rs.createToken('bench-user') }
tokens['forged HS256'] = forge(tokens.HS256)
tokens['forged RS256'] = forge(tokens.RS256)

const results = []
for (const pair of PAIRS.filter(([name]) => only === undefined || only.test(name))) {
  const { startRatios, cpuRatios } = await measurePair(pair, env, tokens)
  const [name, , , target] = pair
  const verdict = pairVerdict(startRatios, target)
  results.push({ name, target, ...verdict, cpuRatio: median(cpuRatios), startRatios, cpuRatios })
  process.stderr.write(`${name}: ${verdict.ratio.toFixed(3)}\n`)
}

const baseline = nodeBaseline(results)
const pairNamed = (name) => PAIRS.find(([pairName]) => pairName === name)
const fixed = (value) => value.toFixed(3)
const range = (interval) => `${fixed(interval.low)}–${fixed(interval.high)}`
console.log(
  `\nTwo servers at once on CPU ${cpus.server}, each driven by its own wrk (-t1 -c32) on CPU ${cpus.load}; ` +
    `${starts} starts of fresh processes, each a 2 s warm-up of both, then ${rounds} rounds of ${seconds} s; ` +
    `Node ${process.version}. ` +
    'The ratio is the first server’s requests over the second’s in the same seconds: the median of all the rounds; ' +
    'the 95 % interval of the median is that of the starts’ medians, and decides. The interval of all the rounds, ' +
    'which takes rounds of one start for independent, is shown beside it.\n',
)
console.log(
  '| pair | ratio | 95 % interval (starts) | wanted | decided | interval of the rounds | per server CPU-second | median of each start |',
)
console.log('|---|---:|---:|---:|---|---:|---:|---|')
for (const r of results) {
  const interval = r.interval.coverage >= 0.95 ? range(r.interval) : `too few starts`
  console.log(
    `| ${r.name} | ${fixed(r.ratio)} | ${interval} | ${wantedOf(r.target)} | ${r.decided ?? ''} | ` +
      `${range(r.roundsInterval)} | ${fixed(r.cpuRatio)} | ${r.startMedians.map((x) => x.toFixed(2)).join(', ')} |`,
  )
}
if (baseline.fastest !== 'srvx bare') {
  // The Node baseline is the fastest bare Fetch server: the targets paired with srvx, re-based on it.
  console.log(
    `\nThe fastest bare Node Fetch server here: ${baseline.fastest}, ${fixed(baseline.factor)}× srvx bare.`,
  )
  for (const r of results.filter((r) => r.target !== undefined && againstSrvxBare(pairNamed(r.name)))) {
    const low = r.interval.low / baseline.factor
    const high = r.interval.high / baseline.factor
    const decided = decide({ ...r.interval, low, high }, r.target)
    console.log(
      `- ${r.name.replace('srvx bare', baseline.fastest)}: ${fixed(r.ratio / baseline.factor)} (${fixed(low)}–${fixed(high)}), ${decided}`,
    )
  }
}
await mkdir(join(benchDir, 'results'), { recursive: true })
await writeFile(
  join(benchDir, 'results', 'paired.json'),
  `${JSON.stringify({ node: process.version, starts, rounds, seconds, cpus, baseline, results }, null, 2)}\n`,
)
