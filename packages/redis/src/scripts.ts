import { createHash } from 'node:crypto'
import type { RedisClient } from './options.js'

export interface Script {
  readonly source: string
  readonly sha: string
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

/**
 * Write one revocation, index it and announce it, in one atomic step (a script runs alone).
 * KEYS: entry, index. ARGV: member (`<kind>:<id>`), value (issuedBefore for subjects, else 1),
 * expiry in ms since the epoch, channel. An entry never loses time or scope: a later write keeps
 * the larger expiry and, for a subject, the larger `issuedBefore`. Expired index members are
 * trimmed on every write and the index itself expires with its last member.
 */
export const REVOKE = script(`
local member, value, at = ARGV[1], ARGV[2], tonumber(ARGV[3])
if string.sub(member, 1, 2) == 's:' then
  local current = tonumber(redis.call('GET', KEYS[1]) or '')
  if current and current > tonumber(value) then value = tostring(current) end
end
local previous = redis.call('PEXPIRETIME', KEYS[1])
if previous > at then at = previous end
redis.call('SET', KEYS[1], value, 'PXAT', at)
local t = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
redis.call('ZADD', KEYS[2], 'GT', at, member)
if redis.call('PEXPIRETIME', KEYS[2]) < at then redis.call('PEXPIREAT', KEYS[2], at) end
redis.call('PUBLISH', ARGV[4], cjson.encode({ member, value, string.format('%d', at) }))
return 1
`)

/**
 * Count one attempt in a fixed window unless the limit is reached: the check and the count are
 * one atomic step, so concurrent attempts on any number of servers cannot overrun the limit.
 * KEYS: counter. ARGV: window in ms, limit. Returns `{ allowed (1|0), count, ms left in the window }`;
 * a refused attempt is not counted. The first counted attempt gives the counter its window.
 */
export const LIMIT_CONSUME = script(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[2]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return { 0, count, ttl }
end
count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { 1, count, ttl }
`)

/**
 * Take back one counted attempt. KEYS: counter. A counter that reaches 0 is deleted, so the next
 * attempt opens a new window; a missing counter stays missing. Returns the count left.
 */
export const LIMIT_REFUND = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local count = redis.call('DECR', KEYS[1])
if count <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
return count
`)

/** Run `s` by its digest, sending the source only when the server does not have it yet. */
export async function runScript(
  client: RedisClient,
  s: Script,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args]
  try {
    return await client.sendCommand(['EVALSHA', s.sha, ...tail])
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
    return await client.sendCommand(['EVAL', s.source, ...tail])
  }
}
