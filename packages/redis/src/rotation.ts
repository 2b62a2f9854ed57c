import { script } from './scripts.js'

/**
 * Refresh-family state: one key per family holding its current generation, one rotation count per
 * subject, one saved rotation result per family (grace window only). A rotation rewrites these
 * keys instead of adding any, so Redis grows with live sessions, not with rotations.
 */

/**
 * Compare-and-set a family's generation. KEYS: family. ARGV: the generation the caller holds,
 * expiry in ms since the epoch. A missing key counts as being at the caller's generation. Returns
 * 1 when this call moved the family on (to ARGV[1] + 1), 0 otherwise. The expiry never shrinks.
 */
export const ADVANCE_FAMILY = script(`
local from = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if current ~= from then return 0 end
local at = tonumber(ARGV[2])
local previous = redis.call('PEXPIRETIME', KEYS[1])
if previous > at then at = previous end
redis.call('SET', KEYS[1], string.format('%d', from + 1), 'PXAT', at)
return 1
`)

/**
 * Count one rotation in a fixed window. KEYS: counter. ARGV: window in ms. The first count gives
 * the counter its window. Returns `{ count, ms left in the window }`.
 */
export const COUNT_ROTATION = script(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`)

/** A saved rotation result, prefixed with the generation it left: `<from>:<result>`. */
export function encodeRotation(from: number, result: string): string {
  return `${from}:${result}`
}

/** The result saved for generation `from`, or `undefined` when the saved one is for another. */
export function decodeRotation(saved: unknown, from: number): string | undefined {
  if (typeof saved !== 'string') return undefined
  const colon = saved.indexOf(':')
  return colon > 0 && saved.slice(0, colon) === String(from) ? saved.slice(colon + 1) : undefined
}
