import { describe, expect, it } from 'vitest'
import { CONTENDERS } from './contenders.mjs'
import { decide } from './median.mjs'
import { againstSrvxBare, nodeBaseline, PAIRS, pairVerdict } from './pairs.mjs'

describe('the pairs of bench:paired', () => {
  it('run only servers that bench:http runs, sent the token bench:http sends them', () => {
    const known = new Set(CONTENDERS.map(([, runtime, server, token]) => `${runtime} ${server} ${token}`))
    for (const [name, first, second] of PAIRS) {
      expect(known, name).toContain(first.join(' '))
      expect(known, name).toContain(second.join(' '))
    }
  })

  it('pair two servers of one runtime, each sent the same kind of token', () => {
    for (const [name, first, second] of PAIRS) {
      expect(first[0], name).toBe(second[0])
      expect(first[2].replace('forged ', ''), name).toBe(second[2].replace('forged ', ''))
    }
  })

  it('have names of their own', () => {
    expect(new Set(PAIRS.map(([name]) => name)).size).toBe(PAIRS.length)
  })

  it('include a control of each runtime: one server paired with itself, with no target', () => {
    const controls = PAIRS.filter(([, first, second]) => first.join() === second.join())
    expect(controls.map(([, [runtime]]) => runtime)).toEqual(['node', 'bun', 'deno'])
    expect(controls.every(([, , , target]) => target === undefined)).toBe(true)
  })

  it('know which compare a server with bare srvx', () => {
    const names = PAIRS.filter(againstSrvxBare).map(([name]) => name)
    expect(names).toContain('node README handler HS256 cache on vs srvx bare')
    expect(names).not.toContain('node cache off vs jose by hand, HS256')
  })
})

describe('the Node baseline of the pairs', () => {
  const result = (name, ratio) => ({ name, ratio })

  it('is srvx bare while no other bare server outran it', () => {
    const results = [
      result('node hono bare vs srvx bare', 0.93),
      result('node @whatwg-node/server bare vs srvx bare', 0.71),
    ]
    expect(nodeBaseline(results)).toEqual({
      toSrvx: { 'srvx bare': 1, 'hono bare': 0.93, '@whatwg-node/server bare': 0.71 },
      fastest: 'srvx bare',
      factor: 1,
    })
  })

  it('is the bare server that outran srvx, by how much', () => {
    const results = [result('node hono bare vs srvx bare', 1.04)]
    expect(nodeBaseline(results)).toMatchObject({ fastest: 'hono bare', factor: 1.04 })
  })
})

describe("a pair's verdict", () => {
  const start = (...ratios) => ratios

  it('is met when the interval of six starts clears the target', () => {
    const starts = [0.9, 0.91, 0.88, 0.92, 0.89, 0.9].map((m) => start(m - 0.01, m, m + 0.01))
    const verdict = pairVerdict(starts, 0.85)
    expect(verdict.decided).toBe('met')
    expect(verdict.interval).toEqual({ low: 0.88, high: 0.92, coverage: 1 - 2 / 64 })
    expect(verdict.startMedians).toEqual([0.9, 0.91, 0.88, 0.92, 0.89, 0.9])
    expect(verdict.ratio).toBeCloseTo(0.9, 10)
  })

  it('is undecided when one start of six falls short, however tight its own rounds', () => {
    const starts = [0.9, 0.91, 0.8, 0.92, 0.89, 0.9].map((m) => start(m, m, m))
    const verdict = pairVerdict(starts, 0.85)
    expect(verdict.decided).toBe('undecided')
    // Pooled, the eighteen rounds would have claimed the target met.
    expect(decide(verdict.roundsInterval, 0.85)).toBe('met')
  })

  it('is missed when the interval of the starts falls short', () => {
    const starts = [0.8, 0.81, 0.78, 0.82, 0.79, 0.8].map((m) => start(m, m))
    expect(pairVerdict(starts, 0.85).decided).toBe('missed')
  })

  it('is undecided with too few starts for a 95 % interval, whatever the rounds say', () => {
    const starts = [0.95, 0.96, 0.97].map((m) => start(m, m, m, m, m))
    expect(pairVerdict(starts, 0.85).decided).toBe('undecided')
  })

  it('reads "more than 1" for the targets that must beat their peer', () => {
    const starts = [2.1, 2.0, 2.2, 1.9, 2.05, 2.15].map((m) => start(m))
    expect(pairVerdict(starts, '>1').decided).toBe('met')
  })

  it('has no verdict for a pair without a target', () => {
    expect(pairVerdict([start(1), start(1)], undefined).decided).toBeUndefined()
  })
})
