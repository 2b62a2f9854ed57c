import type { Duration } from '@covet/core'

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const

/** Whole seconds from a `Duration` (`60`, `'60'`, `'1m'`); `undefined` when it is not one. */
export function parseDuration(value: Duration | unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value)
  if (!match) return undefined
  const unit = (match[2] || 's') as keyof typeof UNIT_SECONDS
  return Number(match[1]) * UNIT_SECONDS[unit]
}
