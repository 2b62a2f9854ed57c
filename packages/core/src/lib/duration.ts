import type { Duration } from '../types.js'

const DURATION = /^(\d+)\s*(s|m|h|d)?$/
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const

/** Whole seconds from a `Duration` (`900`, `'900'`, `'15m'`); `undefined` when it is not one. */
export function parseDuration(value: Duration | unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined
  }
  if (typeof value !== 'string') return undefined
  const match = DURATION.exec(value.trim())
  if (!match) return undefined
  const amount = Number(match[1])
  const seconds = amount * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS]
  return Number.isSafeInteger(seconds) ? seconds : undefined
}
