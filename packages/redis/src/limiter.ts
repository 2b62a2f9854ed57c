import type { Attempt, AttemptLimiter, Duration } from '@covet/core'
import { parseOptions, seconds } from '@covet/core/options'
import * as v from 'valibot'
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

const schema = v.object({
  limit: v.pipe(
    v.number(),
    v.safeInteger('must be a positive integer'),
    v.minValue(1, 'must be a positive integer'),
  ),
  // RFC 9110 §10.2.3: Retry-After counts whole seconds.
  window: seconds({ min: '1s' }),
  name: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores'),
    ),
    'attempts',
  ),
})

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
  const { limit, window, name } = parseOptions(schema, options)
  const windowMs = String(window * 1000)
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
