import { describe, expect, it } from 'vitest'
import { BARE_NODE_FETCH, CONTENDERS, RUN_ORDER, requestOf, TARGETS, THOUSAND_TOKENS } from './contenders.mjs'
import { baselineOf, ratio, targetRows } from './report.mjs'

/** A contender of `rounds` rounds, each `[req/s, requests per server CPU-second]`. */
const entry = (key, runtime, tokenName, rounds) => ({
  key,
  runtime,
  tokenName,
  rounds: rounds.map(([rps, perCpuSecond]) => ({ rps, perCpuSecond })),
})

/** The contenders of a run by key, as report.mjs reads them. */
const byKeyOf = (...entries) => new Map(entries.map((e) => [e.key, e]))

describe('the baseline of a contender', () => {
  it('is the bare servers of its runtime sent the same kind of request', () => {
    expect(baselineOf({ runtime: 'node', tokenName: 'HS256' })).toBe('fastest bare')
    expect(baselineOf({ runtime: 'node', tokenName: 'forged each RS256' })).toBe('fastest bare, RS256 token')
    expect(baselineOf({ runtime: 'node', tokenName: 'each HS256' })).toBe(`fastest bare${THOUSAND_TOKENS}`)
    expect(baselineOf({ runtime: 'bun', tokenName: 'each HS256' })).toBe(`bun bare${THOUSAND_TOKENS}`)
    expect(baselineOf({ runtime: 'deno', tokenName: 'RS256' })).toBe('deno bare, RS256 token')
  })

  it('names a bare contender that is run, for every contender of Bun and Deno', () => {
    const keys = new Set(CONTENDERS.map(([key]) => key))
    for (const [, runtime, , tokenName] of CONTENDERS.filter(([, runtime]) => runtime !== 'node')) {
      expect(keys).toContain(baselineOf({ runtime, tokenName }))
    }
  })
})

describe('the targets', () => {
  it('each name a contender, and a baseline that is a contender or the bare Node servers sent its request', () => {
    const keys = new Set(CONTENDERS.map(([key]) => key))
    for (const [, key, baseline] of TARGETS) {
      expect(keys).toContain(key)
      const request = requestOf(baseline)
      const name = baseline.slice(0, baseline.length - request.length)
      if (name === 'fastest bare' || name === 'round-best bare') {
        for (const bare of BARE_NODE_FETCH) expect(keys).toContain(`${bare}${request}`)
      } else {
        expect(keys).toContain(baseline)
      }
    }
  })

  it('run every contender once, in an order that lists them all', () => {
    expect(RUN_ORDER.toSorted()).toEqual(CONTENDERS.map(([key]) => key).toSorted())
  })

  it('compare the thousand-token rows with the bare servers sent the same thousand tokens', () => {
    const byKey = byKeyOf(
      entry('hono bare', 'node', 'HS256', [
        [100, 50],
        [100, 50],
        [100, 50],
      ]),
      entry(`hono bare${THOUSAND_TOKENS}`, 'node', 'each HS256', [
        [80, 50],
        [80, 50],
        [80, 50],
      ]),
      entry(`srvx bare${THOUSAND_TOKENS}`, 'node', 'each HS256', [
        [60, 40],
        [60, 40],
        [60, 40],
      ]),
      entry(`covet HS256 cache on${THOUSAND_TOKENS}`, 'node', 'each HS256', [
        [72, 45],
        [72, 45],
        [72, 45],
      ]),
    )
    const [same, strict] = targetRows(byKey).filter(
      (row) => row.key === `covet HS256 cache on${THOUSAND_TOKENS}`,
    )
    // The fastest of the bare servers sent the thousand tokens: hono's 80 req/s, not its 100 with one token.
    expect(same.baseline).toBe(`fastest bare${THOUSAND_TOKENS}`)
    expect(same.value).toBeCloseTo(0.9)
    expect(same.cpu).toBeCloseTo(0.9)
    expect(strict.baseline).toBe('fastest bare')
    expect(strict.value).toBeCloseTo(0.72)
  })
})

describe('a ratio per second of server CPU', () => {
  it('is the median of per-round ratios of requests per CPU-second, whatever the req/s', () => {
    // wrk set the pace of both (the same req/s); the contender used more of its CPU for them.
    const byKey = byKeyOf(
      entry('bun bare', 'bun', 'HS256', [
        [50, 100],
        [50, 100],
        [50, 100],
      ]),
      entry('bun covet HS256 cache on', 'bun', 'HS256', [
        [50, 80],
        [50, 70],
        [50, 90],
      ]),
    )
    expect(ratio(byKey, 'bun covet HS256 cache on', 'bun bare')).toBe(1)
    expect(ratio(byKey, 'bun covet HS256 cache on', 'bun bare', 'perCpuSecond')).toBeCloseTo(0.8)
  })
})
