/**
 * The median of per-round figures, and how far this run's rounds pin it down: a distribution-free
 * confidence interval from order statistics (the sign test's), which assumes nothing about the
 * shape of a noisy machine's rounds but that they are independent.
 */

/** The median of `values` (the mean of the middle two when their count is even). */
export const median = (values) => {
  const sorted = values.toSorted((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2): the chance that at most k of n rounds fall below the true median. */
function binomialHalfCdf(n, k) {
  let term = 0.5 ** n
  let sum = term
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i
    sum += term
  }
  return sum
}

/**
 * The interval [k-th smallest, k-th largest] of `values` with the largest k whose coverage of the
 * true median is at least `confidence` (coverage = 1 − 2·P(X ≤ k − 1), X ~ Binomial(n, 1/2)): for
 * 15 rounds, the 4th and 12th (96.5 %); for 9, the 2nd and 8th (96.1 %). With fewer than 6 rounds
 * no interval reaches 95 %: the whole range is returned, with the coverage it has.
 *
 * @returns {{ low: number, high: number, coverage: number } | undefined} undefined for no values
 */
export function medianInterval(values, confidence = 0.95) {
  const n = values.length
  if (n === 0) return undefined
  const sorted = values.toSorted((a, b) => a - b)
  const coverage = (k) => 1 - 2 * binomialHalfCdf(n, k - 1)
  let k = 1
  while (k + 1 <= Math.ceil(n / 2) && coverage(k + 1) >= confidence) k++
  return { low: sorted[k - 1], high: sorted[n - k], coverage: coverage(k) }
}

/**
 * What this run says of `minimum` (`'>1'` for "more than 1"): 'met' when the whole interval of the
 * median clears it, 'missed' when the whole interval falls short, and 'undecided' when the interval
 * straddles it (the machine's noise in this run is larger than the distance to the line) or when
 * too few rounds ran for the interval to reach `confidence`.
 */
export function decide(interval, minimum, confidence = 0.95) {
  if (interval.coverage < confidence) return 'undecided'
  const clears = (value) => (minimum === '>1' ? value > 1 : value >= minimum)
  if (clears(interval.low)) return 'met'
  if (!clears(interval.high)) return 'missed'
  return 'undecided'
}
