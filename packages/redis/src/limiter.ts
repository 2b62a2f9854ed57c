import type { Attempt, AttemptLimiter, Duration } from '@covet/core'
import { ConfigError, parseDuration } from '@covet/core'
import type { KeySpace } from './keys.js'
import { LIMIT_CONSUME, LIMIT_REFUND, type Script } from './scripts.js'

export interface RedisLimiterOptions {
  /** Attempts counted per key in one window; the next one is refused until the window ends. */
  limit: number
  /** Length of the fixed window, counted from the key's first counted attempt. */
  window: Duration
  /** Separates limiters sharing one Redis (`'username'`, `'client'`). Default `'attempts'`. */
  name?: string
}

/** Runs a limiter script with the store's timeout and error mapping. */
export type ScriptRunner = (
  script: Script,
  keys: readonly string[],
  args: readonly string[],
) => Promise<unknown>

/**
 * A fixed-window attempt counter shared by every server: one Redis key per limited key, checked,
 * counted and given its window in one atomic script, expiring with the window.
 */
export function createLimiter(
  options: RedisLimiterOptions,
  keys: KeySpace,
  run: ScriptRunner,
  del: (key: string) => Promise<unknown>,
): AttemptLimiter {
  const { limit } = options
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError('limit', 'must be a positive integer')
  const windowSeconds = parseDuration(options.window)
  if (windowSeconds === undefined || windowSeconds <= 0)
    throw new ConfigError('window', 'must be a positive duration')
  const name = options.name ?? 'attempts'
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name)) {
    throw new ConfigError('name', 'must be 1 to 64 letters, digits, dots, dashes or underscores')
  }
  const windowMs = String(Math.round(windowSeconds * 1000))
  const limitArg = String(limit)

  return {
    async consume(key) {
      const reply = await run(LIMIT_CONSUME, [keys.limiter(name, key)], [windowMs, limitArg])
      const [allowed, count, ttl] = reply as [number, number, number]
      return {
        allowed: allowed === 1,
        count,
        retryAfter: Math.max(1, Math.ceil(ttl / 1000)),
      } satisfies Attempt
    },
    async refund(key) {
      await run(LIMIT_REFUND, [keys.limiter(name, key)], [])
    },
    async reset(key) {
      await del(keys.limiter(name, key))
    },
  }
}
