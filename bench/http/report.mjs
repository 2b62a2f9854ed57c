/**
 * Figures from the rounds: every ratio is the median of per-round ratios (both sides ran in the
 * same round, seconds apart, so drift in the machine's speed cancels and the median drops the
 * outlying round).
 */
import { BARE_NODE_FETCH, requestOf, requestOfToken, TARGETS } from './contenders.mjs'
import { decide, median, medianInterval } from './median.mjs'

/**
 * The bare Node Fetch server with the highest median requests/s of the run: "the fastest bare Node
 * Fetch server measured". Not each round's best of the three: with servers of like speed, the best
 * of three noisy figures is mostly the luckiest, which raises the baseline by the spread alone (the
 * winner's curse). That stricter baseline is reported too, as 'round-best bare'.
 */
export function fastestBareServer(byKey, request = '') {
  const bare = bareServers(byKey, request)
  if (bare.length === 0) return undefined
  const rps = (entry) => median(entry.rounds.map((round) => round.rps))
  return bare.reduce((best, entry) => (rps(entry) > rps(best) ? entry : best))
}

/**
 * The bare Node Fetch servers run, sent the HS256 token (`request` ''), the RS256 one
 * (RS256_REQUEST) or a thousand tokens in turn (THOUSAND_TOKENS).
 */
const bareServers = (byKey, request) =>
  BARE_NODE_FETCH.map((name) => byKey.get(`${name}${request}`)).filter(Boolean)

/**
 * The per-round requests/s of `key`; 'fastest bare' is the fastest bare Node Fetch server's,
 * 'round-best bare' each round's best of them; either with RS256_REQUEST or THOUSAND_TOKENS after
 * it, of those sent that request.
 */
function roundsOf(byKey, key, figure = 'rps') {
  const request = requestOf(key)
  const baseline = key.slice(0, key.length - request.length)
  if (baseline === 'fastest bare')
    return fastestBareServer(byKey, request)?.rounds.map((round) => round[figure])
  if (baseline !== 'round-best bare') return byKey.get(key)?.rounds.map((round) => round[figure])
  const bare = bareServers(byKey, request)
  if (bare.length === 0) return undefined
  return bare[0].rounds.map((_, i) => Math.max(...bare.map((entry) => entry.rounds[i][figure])))
}

/**
 * The per-round ratios of `key` to `baseline`, or undefined when either was not run: of requests
 * a second (`figure` 'rps'), or of requests per second of the server's own CPU ('perCpuSecond').
 */
function roundRatios(byKey, key, baseline, figure = 'rps') {
  const a = roundsOf(byKey, key, figure)
  const b = roundsOf(byKey, baseline, figure)
  if (a === undefined || b === undefined) return undefined
  return a.map((value, i) => value / b[i])
}

/** The median of per-round ratios of `key` to `baseline`, or undefined when either was not run. */
export function ratio(byKey, key, baseline, figure = 'rps') {
  const ratios = roundRatios(byKey, key, baseline, figure)
  return ratios === undefined ? undefined : median(ratios)
}

/**
 * The baseline each contender's table ratio is taken against: the bare servers of its runtime sent
 * the same kind of request (an RS256 token, valid or forged, a thousand tokens in turn, or else the
 * HS256 one).
 */
export const baselineOf = (entry) =>
  `${entry.runtime === 'node' ? 'fastest' : entry.runtime} bare${requestOfToken(entry.tokenName)}`

/**
 * The rows of the results table: key, median req/s, median p99, ratio to the baseline; and by the
 * server's own CPU: how busy it was (median share of the stretch), requests per CPU-second in each
 * round, and the ratio of those to the baseline's.
 */
export function tableRows(entries, byKey) {
  return entries.map((entry) => ({
    key: entry.key,
    runtime: entry.runtime,
    rps: Math.round(median(entry.rounds.map((round) => round.rps))),
    p99: median(entry.rounds.map((round) => round.p99)),
    baseline: baselineOf(entry),
    ratio: ratio(byKey, entry.key, baselineOf(entry)),
    rounds: entry.rounds.map((round) => Math.round(round.rps)),
    busy: median(entry.rounds.map((round) => round.busy)),
    cpuRatio: ratio(byKey, entry.key, baselineOf(entry), 'perCpuSecond'),
    cpuRounds: entry.rounds.map((round) => Math.round(round.perCpuSecond)),
  }))
}

/**
 * Every target of the issue that this run measured: its figure (the median of per-round ratios)
 * and whether that figure meets it, as the issue judges; and the median's 95 % interval over the
 * rounds, with what it decides ('met', 'missed', or 'undecided' when the run's noise straddles
 * the line).
 */
export function targetRows(byKey) {
  return TARGETS.flatMap(([label, key, baseline, minimum]) => {
    const ratios = roundRatios(byKey, key, baseline)
    if (ratios === undefined) return []
    const value = median(ratios)
    const met = minimum === '>1' ? value > 1 : value >= minimum
    const interval = medianInterval(ratios)
    const target = minimum === '>1' ? '> 1' : `≥ ${minimum.toFixed(2)}`
    // The same ratio by requests per second of the server's CPU: a second witness, not the measure.
    const cpu = median(roundRatios(byKey, key, baseline, 'perCpuSecond'))
    return [{ label, key, baseline, value, target, met, interval, decided: decide(interval, minimum), cpu }]
  })
}

/** Which bare Node Fetch server was fastest in each round. */
export function roundWinners(byKey, request = '') {
  const bare = bareServers(byKey, request)
  if (bare.length === 0) return []
  return bare[0].rounds.map(
    (_, i) => bare.reduce((best, entry) => (entry.rounds[i].rps > best.rounds[i].rps ? entry : best)).key,
  )
}

/** The DPoP contender of each runtime and the bearer one it is compared with (HS256, cache on). */
const DPOP_PAIRS = [
  ['Node', 'covet DPoP, ES256 proof, HS256 cache on', 'covet HS256 cache on'],
  ['Bun', 'bun covet DPoP, ES256 proof, HS256 cache on', 'bun covet HS256 cache on'],
  ['Deno', 'deno covet DPoP, ES256 proof, HS256 cache on', 'deno covet HS256 cache on'],
]

/** Median over rounds of the time one request of `key` takes beyond one of `baseline`, in µs. */
function extraMicros(byKey, key, baseline) {
  const a = roundsOf(byKey, key)
  const b = roundsOf(byKey, baseline)
  if (a === undefined || b === undefined) return undefined
  return median(a.map((rps, i) => 1e6 / rps - 1e6 / b[i]))
}

/**
 * What DPoP costs: each runtime's DPoP/Bearer ratio, and on Node the time a DPoP request takes
 * beyond a bearer one, next to the time one ES256 verification adds (ES256 tokens with the cache
 * off, beyond the cache on): their quotient says how many signature checks DPoP adds.
 */
export function dpopRows(byKey) {
  const rows = []
  for (const [runtime, dpop, bearer] of DPOP_PAIRS) {
    const value = ratio(byKey, dpop, bearer)
    if (value !== undefined)
      rows.push({
        label: `${runtime}: DPoP / Bearer, HS256 cache on (req/s)`,
        value,
        text: `${value.toFixed(2)}×`,
      })
  }
  const extra = extraMicros(byKey, DPOP_PAIRS[0][1], DPOP_PAIRS[0][2])
  const verification = extraMicros(byKey, 'covet ES256 cache off', 'covet ES256 cache on')
  if (extra !== undefined && verification !== undefined) {
    rows.push(
      { label: 'Node: time a DPoP request adds over Bearer', value: extra, text: `${extra.toFixed(1)} µs` },
      {
        label: 'Node: time one ES256 verification adds (ES256 cache off − on)',
        value: verification,
        text: `${verification.toFixed(1)} µs`,
      },
      {
        label: 'Node: DPoP extra ÷ one ES256 verification',
        value: extra / verification,
        text: `${(extra / verification).toFixed(2)}`,
      },
    )
  }
  return rows
}
