/** Turns measured figures into the markdown table and the JSON rows the chart builder reads. */

import { median } from './harness.mjs'

export const TARGETS = { verify: 0.9, cache: 1.0, otel: 0.95, issuer: 0.9 }

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const ratioText = (ratio, target) =>
  `${ratio.toFixed(2)}×${target === undefined ? '' : ratio >= target ? ' ✓' : ' ✗'}`

/**
 * The rows, in table order. `of` picks ops/s from one algorithm's results; `ratio` rows divide two.
 * A pair is two signatures, so pairs are compared with half of plain jose's signing rate.
 */
const ROWS = [
  { label: '`auth.verifyToken`, `cache: false`', of: 'covet' },
  { label: '`jose.jwtVerify`, pre-imported `CryptoKey`', of: 'jose' },
  { label: '**ratio** ours / jose (target ≥ 0.90)', ratio: ['covet', 'jose'], target: TARGETS.verify },
  { label: 'control: plain jose / plain jose in another isolate', ratio: ['jose#control', 'jose'] },
  { label: '`auth.verifyToken`, `cache: false`, 8 in flight', of: 'covet@8' },
  { label: '`jose.jwtVerify`, 8 in flight', of: 'jose@8' },
  { label: '**ratio** ours / jose, 8 in flight', ratio: ['covet@8', 'jose@8'] },
  { label: '`auth.verifyToken`, another issuer (`issuers`, JWK Set), `cache: false`', of: 'covetIssuer' },
  { label: '`jose.jwtVerify`, `createLocalJWKSet` of the pre-fetched set', of: 'joseJwks' },
  {
    label: '**ratio** issuers / jose with the JWK Set (target ≥ 0.90)',
    ratio: ['covetIssuer', 'joseJwks'],
    target: TARGETS.issuer,
  },
  { label: '`auth.verifyToken`, verified-token cache (repeated tokens)', of: 'covetCache' },
  { label: '`auth.verifyToken`, cached, under `instrument(auth)` without an SDK', of: 'covetCacheOtel' },
  {
    label: '**ratio** instrumented / not, cached, no SDK (target ≥ 0.95)',
    ratio: ['covetCacheOtel', 'covetCache'],
    target: TARGETS.otel,
  },
  { label: 'fast-jwt verifier, `cache: true`', of: 'fastJwtCache' },
  {
    label: '**ratio** ours cached / fast-jwt cached (target ≥ 1.00)',
    ratio: ['covetCache', 'fastJwtCache'],
    target: TARGETS.cache,
  },
  { label: 'fast-jwt verifier, no cache (node:crypto)', of: 'fastJwt' },
  { label: '`auth.createToken`', of: 'covetSign' },
  { label: 'jose `SignJWT`, pre-imported `CryptoKey`', of: 'joseSign' },
  { label: '**ratio** createToken / SignJWT', ratio: ['covetSign', 'joseSign'] },
  { label: '`auth.createTokenPair` (two signatures)', of: 'covetPair' },
  { label: '**ratio** pairs / (SignJWT ÷ 2)', ratio: ['covetPair', 'joseSign'], factor: 2 },
]

/**
 * The median of the per-round ratios. Both cases ran back to back in every round, so a burst of
 * background load shifts both sides of a round's ratio alike and the median discards outliers.
 */
function ratioOf(row, figures) {
  const [a, b] = row.ratio
  if (!figures.has(a) || !figures.has(b)) return undefined
  const ours = figures.get(a).samples
  const theirs = figures.get(b).samples
  return median(ours.map((value, round) => value / theirs[round])) * (row.factor ?? 1)
}

/** @param {Map<string, Map<string, { opsPerSec: number }>>} results algorithm → case → figures */
export function markdownTable(results) {
  const algs = [...results.keys()]
  const lines = [`| ops/s (median) | ${algs.join(' | ')} |`, `|---|${algs.map(() => '---:').join('|')}|`]
  for (const row of ROWS) {
    const cells = algs.map((alg) => {
      const figures = results.get(alg)
      // Cases measured for some algorithms only (issuers: RS256) leave the others' cells empty.
      if (row.ratio) {
        const ratio = ratioOf(row, figures)
        return ratio === undefined ? '—' : ratioText(ratio, row.target)
      }
      return figures.has(row.of) ? fmt.format(figures.get(row.of).opsPerSec) : '—'
    })
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

/** Targets missed, as sentences; empty when every target is met. */
export function missedTargets(results) {
  const missed = []
  for (const [alg, figures] of results) {
    for (const row of ROWS) {
      if (row.target === undefined) continue
      const ratio = ratioOf(row, figures)
      if (ratio !== undefined && ratio < row.target)
        missed.push(`${alg}: ${row.label.replace(/\*\*/g, '')} is ${ratio.toFixed(2)}×`)
    }
  }
  return missed
}

/** Per algorithm, plain jose against itself in another isolate: how far two identical cases differed in this run. */
export function controlRatios(results) {
  const row = ROWS.find((candidate) => candidate.ratio?.[0] === 'jose#control')
  return Object.fromEntries(
    [...results].map(([alg, figures]) => [alg, Number(ratioOf(row, figures).toFixed(3))]),
  )
}

/** `{ name, rows: [{ label, opsPerSec, ratio? }] }`: one row per measured case; ours carry their ratio. */
export function jsonRows(results) {
  const rows = []
  for (const [alg, figures] of results) {
    for (const row of ROWS) {
      if (row.of === undefined || !figures.has(row.of)) continue
      const entry = {
        label: `${alg} ${row.label.replace(/`/g, '')}`,
        opsPerSec: Math.round(figures.get(row.of).opsPerSec),
      }
      const ratioRow = ROWS.find((candidate) => candidate.ratio?.[0] === row.of)
      if (ratioRow !== undefined) entry.ratio = Number(ratioOf(ratioRow, figures).toFixed(3))
      rows.push(entry)
    }
  }
  return rows
}
