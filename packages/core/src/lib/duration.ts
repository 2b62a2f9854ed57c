import type { Duration } from '../types.js'

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/**
 * Whole milliseconds from a `Duration` (`900` and `'900'` are seconds; `'250ms'`, `'15m'`);
 * `undefined` when it is not one.
 */
export function durationMs(value: Duration | unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? safe(value * 1000) : undefined
  }
  if (typeof value !== 'string') return undefined
  const match = DURATION.exec(value.trim())
  if (!match) return undefined
  return safe(Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS])
}

/**
 * Whole seconds from a `Duration` (`900`, `'900'`, `'15m'`, `'2000ms'`); `undefined` when it is
 * not one, or not a whole number of seconds.
 *
 * @example
 * ```ts
 * parseDuration('15m') // 900
 * ```
 */
export function parseDuration(value: Duration | unknown): number | undefined {
  const ms = durationMs(value)
  return ms === undefined || ms % 1000 !== 0 ? undefined : ms / 1000
}

function safe(ms: number): number | undefined {
  return Number.isSafeInteger(ms) ? ms : undefined
}
