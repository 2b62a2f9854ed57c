import { describe, expect, it } from 'vitest'
import { toPanels } from './normalize.mjs'
import { renderRatioTables } from './ratios.mjs'

/** A bench:paired result file of two pairs, six starts of two rounds each. */
const run = {
  node: 'v20.20.2',
  starts: 6,
  rounds: 2,
  seconds: 2,
  cpus: { server: 1, load: 0 },
  baseline: { toSrvx: { 'srvx bare': 1, 'hono bare': 0.9 }, fastest: 'srvx bare', factor: 1 },
  results: [
    {
      name: 'node control: srvx bare, two of them',
      startRatios: [0.99, 1.01, 1, 0.98, 1.02, 1].map((m) => [m, m]),
    },
    {
      name: 'node README handler HS256 cache on vs srvx bare',
      target: 0.85,
      startRatios: [0.9, 0.91, 0.88, 0.92, 0.84, 0.9].map((m) => [m, m]),
    },
  ],
}

describe("bench:paired's results in the chart", () => {
  it('become one ratio panel, each pair at the median of all its rounds, with what it wants', () => {
    const [panel, ...others] = toPanels('paired.json', run)
    expect(others).toEqual([])
    expect(panel.unit).toBe('×')
    expect(panel.bars.map((bar) => bar.label)).toEqual([
      'node control: srvx bare, two of them',
      'node README handler HS256 cache on vs srvx bare (≥ 0.85)',
    ])
    expect(panel.bars[1].value).toBeCloseTo(0.9, 10)
  })

  it('become a table whose verdicts come from the starts in the file, not from the rounds', () => {
    const markdown = renderRatioTables(new Map([['paired', run]]))
    expect(markdown).toContain('### HTTP, two servers at once: `pnpm bench:paired`')
    expect(markdown).toContain('srvx bare outran hono bare')
    // One start of six at 0.84: the starts' interval straddles 0.85, though ten of the twelve rounds clear it.
    expect(markdown).toContain(
      '| node README handler HS256 cache on vs srvx bare | 0.90, 0.91, 0.88, 0.92, 0.84, 0.90 | 0.90 | 0.84–0.92 | ≥ 0.85 | undecided |',
    )
    expect(markdown).toContain(
      '| node control: srvx bare, two of them | 0.99, 1.01, 1.00, 0.98, 1.02, 1.00 | 1.00 | 0.98–1.02 |  |  |',
    )
  })
})
