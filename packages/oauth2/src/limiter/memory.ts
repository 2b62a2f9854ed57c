import type { AttemptLimiter, Duration } from '@covet/core'
import { parseOptions, seconds } from '@covet/core/options'
import * as v from 'valibot'

export interface MemoryLimiterOptions {
  /** Attempts counted per key in one window; the next one is refused. */
  limit: number
  /** The window, from a key's first counted attempt: seconds or a string such as `'15m'`. */
  window: Duration
  /** Keys remembered at most (default 100,000); the oldest windows are forgotten first. */
  maxKeys?: number
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number
}

const positive = v.pipe(
  v.number(),
  v.safeInteger('must be a positive integer'),
  v.minValue(1, 'must be a positive integer'),
)
const OptionsSchema = v.object({
  limit: positive,
  // RFC 9110 §10.2.3: Retry-After counts whole seconds.
  window: seconds({ min: '1s' }),
  maxKeys: v.optional(positive, 100_000),
  clock: v.optional(
    v.custom<() => number>((value) => typeof value === 'function', 'must be a function'),
    () => Date.now,
  ),
})

interface Window {
  count: number
  readonly endsAt: number
}

/**
 * An in-memory `AttemptLimiter` with a fixed window per key, for one process. `consume` checks and
 * counts in one synchronous step, so concurrent attempts cannot overrun the limit. Bounded: past
 * `maxKeys`, expired windows go first, then the oldest (an attacker sending that many keys makes
 * the oldest counts forgotten). Share state across servers with the Redis store's limiter instead.
 *
 * @example
 * const limiter = createMemoryLimiter({ limit: 10, window: '15m' })
 * const attempt = await limiter.consume('user:alice') // { allowed: true, count: 1, retryAfter: 900 }
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export function createMemoryLimiter(options: MemoryLimiterOptions): AttemptLimiter {
  const { limit, window, maxKeys, clock } = parseOptions(OptionsSchema, options)
  const windowMs = window * 1000
  // Insertion order is window-start order: the oldest (and so first to expire) come first.
  const windows = new Map<string, Window>()

  function current(key: string, now: number): Window | undefined {
    const window = windows.get(key)
    if (window !== undefined && window.endsAt <= now) {
      windows.delete(key)
      return undefined
    }
    return window
  }

  const secondsLeft = (window: Window, now: number) => Math.max(1, Math.ceil((window.endsAt - now) / 1000))

  function open(key: string, now: number): Window {
    for (const [oldest, window] of windows) {
      if (windows.size < maxKeys && window.endsAt > now) break
      windows.delete(oldest)
    }
    const window = { count: 0, endsAt: now + windowMs }
    windows.set(key, window)
    return window
  }

  return {
    async consume(key) {
      const now = clock()
      const existing = current(key, now)
      if (existing !== undefined && existing.count >= limit) {
        return { allowed: false, count: existing.count, retryAfter: secondsLeft(existing, now) }
      }
      const window = existing ?? open(key, now)
      window.count++
      return { allowed: true, count: window.count, retryAfter: secondsLeft(window, now) }
    },
    async refund(key) {
      const window = current(key, clock())
      if (window === undefined) return
      window.count--
      // A window with nothing counted is no window: the next attempt opens a new one.
      if (window.count <= 0) windows.delete(key)
    },
    async reset(key) {
      windows.delete(key)
    },
  }
}
