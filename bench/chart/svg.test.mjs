import { describe, expect, it } from 'vitest'
import { RATIO_CAP, renderSvg, scaler, wrapLabel } from './svg.mjs'

describe('the benchmark chart', () => {
  it('stops the bars of a ratio panel at the cap and says so in its title', () => {
    const scale = scaler([{ value: 0.85 }, { value: 26.88 }], '×')
    expect(scale.capped).toBe(true)
    expect(scale.length(26.88)).toBe(scale.length(RATIO_CAP))
    expect(scale.length(0.85) / scale.length(RATIO_CAP)).toBeCloseTo(0.85 / RATIO_CAP, 6)
    const svg = renderSvg([{ title: 'Ratios', unit: '×', bars: [{ label: 'peer', value: 26.88 }] }])
    expect(svg).toContain(`Ratios (bars stop at ${RATIO_CAP}×, the figures do not)`)
    expect(svg).toContain('>26.88×<')
  })

  it('draws a ratio panel whose ratios are all under the cap to its largest one, with no note', () => {
    const scale = scaler([{ value: 0.5 }, { value: 2 }], '×')
    expect(scale.capped).toBe(false)
    expect(scale.length(1) / scale.length(2)).toBeCloseTo(0.5, 6)
    expect(renderSvg([{ title: 'Ratios', unit: '×', bars: [{ label: 'a', value: 2 }] }])).toContain(
      '>Ratios<',
    )
  })

  it('wraps a label too long for its column between words, losing none', () => {
    const label =
      'Covet HS256 cache on, a thousand tokens in turn, vs fastest bare Node Fetch server sent one token (stricter) (≥ 0.85)'
    const lines = wrapLabel(label, 62)
    expect(lines.length).toBe(2)
    expect(lines.every((line) => line.length <= 62)).toBe(true)
    expect(lines.join(' ')).toBe(label)
    expect(wrapLabel('short label', 62)).toEqual(['short label'])
  })

  it("keeps a target's wanted figure on one line", () => {
    expect(wrapLabel('Bun: README handler RS256 cache on vs hono + hono/jwt RS256 (> 1)', 62)).toEqual([
      'Bun: README handler RS256 cache on vs hono + hono/jwt RS256',
      '(> 1)',
    ])
  })

  it('keeps a single word longer than a line whole, on a line of its own', () => {
    expect(wrapLabel('a averyveryverylongword b', 8)).toEqual(['a', 'averyveryverylongword', 'b'])
  })
})
