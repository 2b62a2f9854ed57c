/**
 * Figures from the rounds: every ratio is the median of per-round ratios (both sides ran in the
 * same round, seconds apart, so drift in the machine's speed cancels and the median drops the
 * outlying round).
 */
import { BARE_NODE_FETCH, TARGETS } from './contenders.mjs'

export const median = (values) => {
  const sorted = values.toSorted((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** The per-round requests/s of `key`; 'fastest bare' is the per-round best of the bare Node Fetch servers. */
function roundsOf(byKey, key) {
  if (key !== 'fastest bare') return byKey.get(key)?.rounds.map((round) => round.rps)
  const bare = BARE_NODE_FETCH.map((name) => byKey.get(name)).filter(Boolean)
  if (bare.length === 0) return undefined
  return bare[0].rounds.map((_, i) => Math.max(...bare.map((entry) => entry.rounds[i].rps)))
}

/** The median of per-round ratios of `key` to `baseline`, or undefined when either was not run. */
export function ratio(byKey, key, baseline) {
  const a = roundsOf(byKey, key)
  const b = roundsOf(byKey, baseline)
  if (a === undefined || b === undefined) return undefined
  return median(a.map((rps, i) => rps / b[i]))
}

/** The baseline each contender's table ratio is taken against. */
export const baselineOf = (entry) => (entry.runtime === 'node' ? 'fastest bare' : `${entry.runtime} bare`)

/** The rows of the results table: key, median req/s, median p99, ratio to the baseline. */
export function tableRows(entries, byKey) {
  return entries.map((entry) => ({
    key: entry.key,
    runtime: entry.runtime,
    rps: Math.round(median(entry.rounds.map((round) => round.rps))),
    p99: median(entry.rounds.map((round) => round.p99)),
    ratio: ratio(byKey, entry.key, baselineOf(entry)),
    rounds: entry.rounds.map((round) => Math.round(round.rps)),
  }))
}

/** Every target of the issue that this run measured, with its figure and whether it was met. */
export function targetRows(byKey) {
  return TARGETS.flatMap(([label, key, baseline, minimum]) => {
    const value = ratio(byKey, key, baseline)
    if (value === undefined) return []
    const met = minimum === '>1' ? value > 1 : value >= minimum
    return [
      { label, key, baseline, value, target: minimum === '>1' ? '> 1' : `≥ ${minimum.toFixed(2)}`, met },
    ]
  })
}

/** Which bare Node Fetch server was fastest in each round. */
export function fastestBare(byKey) {
  const bare = BARE_NODE_FETCH.map((name) => byKey.get(name)).filter(Boolean)
  if (bare.length === 0) return []
  return bare[0].rounds.map(
    (_, i) => bare.reduce((best, entry) => (entry.rounds[i].rps > best.rounds[i].rps ? entry : best)).key,
  )
}
