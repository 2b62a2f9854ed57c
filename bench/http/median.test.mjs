import { describe, expect, it } from 'vitest'
import { decide, median, medianInterval } from './median.mjs'

const oneTo = (n) => Array.from({ length: n }, (_, i) => i + 1)

/** A small deterministic generator (mulberry32), so that the coverage check repeats exactly. */
function random(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

describe('median', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('medianInterval', () => {
  it('bounds the median of 15 rounds by the 4th smallest and 4th largest, at 96.5 % coverage', () => {
    const interval = medianInterval(oneTo(15).reverse())
    expect(interval).toEqual({ low: 4, high: 12, coverage: 1 - (2 * (1 + 15 + 105 + 455)) / 2 ** 15 })
  })

  it('bounds the median of 9 rounds by the 2nd smallest and 2nd largest', () => {
    expect(medianInterval(oneTo(9))).toEqual({ low: 2, high: 8, coverage: 1 - (2 * (1 + 9)) / 2 ** 9 })
  })

  it('gives the whole range, with its lower coverage, when fewer than 6 rounds cannot reach 95 %', () => {
    expect(medianInterval([5, 1, 3, 2, 4])).toEqual({ low: 1, high: 5, coverage: 1 - 2 / 2 ** 5 })
    expect(medianInterval([7])).toEqual({ low: 7, high: 7, coverage: 0 })
  })

  it('gives nothing for no rounds', () => {
    expect(medianInterval([])).toBeUndefined()
  })

  it('contains the true median about as often as its coverage says, whatever the spread', () => {
    const next = random(18)
    for (const rounds of [9, 15]) {
      let contained = 0
      let coverage = 0
      const trials = 4000
      for (let trial = 0; trial < trials; trial++) {
        // Skewed noise (exponential) around a true median of exactly 1.
        const values = Array.from({ length: rounds }, () => 1 - Math.log(next()) - Math.log(2))
        const interval = medianInterval(values)
        coverage = interval.coverage
        if (interval.low <= 1 && 1 <= interval.high) contained++
      }
      expect(Math.abs(contained / trials - coverage)).toBeLessThan(0.015)
    }
  })
})

describe('decide', () => {
  it('says met only when the whole interval clears the line', () => {
    expect(decide({ low: 0.85, high: 0.99, coverage: 0.965 }, 0.85)).toBe('met')
    expect(decide({ low: 0.84, high: 0.99, coverage: 0.965 }, 0.85)).toBe('undecided')
  })

  it('says missed only when the whole interval falls short of the line', () => {
    expect(decide({ low: 0.7, high: 0.84, coverage: 0.965 }, 0.85)).toBe('missed')
    expect(decide({ low: 0.7, high: 0.85, coverage: 0.965 }, 0.85)).toBe('undecided')
  })

  it('reads "more than 1" strictly', () => {
    expect(decide({ low: 1, high: 1.2, coverage: 0.965 }, '>1')).toBe('undecided')
    expect(decide({ low: 1.01, high: 1.2, coverage: 0.965 }, '>1')).toBe('met')
    expect(decide({ low: 0.9, high: 1, coverage: 0.965 }, '>1')).toBe('missed')
  })

  it('decides nothing from too few rounds, however far from the line they fall', () => {
    const fiveRounds = medianInterval([0.5, 0.5, 0.5, 0.5, 0.5])
    expect(decide(fiveRounds, 0.85)).toBe('undecided')
    expect(decide(medianInterval([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), 0.85)).toBe('missed')
  })
})
