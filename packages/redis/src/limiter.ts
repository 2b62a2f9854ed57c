import type { AttemptLimiter, Duration } from '@covet/core'
import { ConfigError, parseDuration } from '@covet/core'
import type { KeySpace } from './keys.js'
import { LIMIT_FAIL, LIMIT_READ } from './scripts.js'

export interface RedisLimiterOptions {
  /** Failures allowed in one window; the one that reaches it locks the key out. */
  limit: number
  /** Length of the fixed window, counted from the first failure. */
  window: Duration
  /** Separates limiters sharing one Redis (`'username'`, `'client'`). Default `'attempts'`. */
  name?: string
}

/** Runs a limiter script with the store's timeout and error mapping. */
export type ScriptRunner = (
  script: typeof LIMIT_FAIL,
  keys: readonly string[],
  args: readonly string[],
) => Promise<unknown>

/**
 * A fixed-window failure counter shared by every server: one key per limited key, counted and
 * given its window atomically by a script, expiring with the window.
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
  const retry = ([count, ttl]: [number, number]) => (count >= limit && ttl > 0 ? Math.ceil(ttl / 1000) : 0)

  return {
    async retryAfter(key) {
      return retry((await run(LIMIT_READ, [keys.limiter(name, key)], [])) as [number, number])
    },
    async fail(key) {
      return retry((await run(LIMIT_FAIL, [keys.limiter(name, key)], [windowMs])) as [number, number])
    },
    async reset(key) {
      await del(keys.limiter(name, key))
    },
  }
}
