import { createHash } from 'node:crypto'
import type { RedisClient } from './options.js'

export interface Script {
  readonly source: string
  readonly sha: string
}

function script(source: string): Script {
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
 * Count one failure in a fixed window. KEYS: counter. ARGV: window in ms.
 * Returns `{ count, ms left in the window }`.
 */
export const LIMIT_FAIL = script(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`)

/** Read a failure counter. KEYS: counter. Returns `{ count, ms left in the window }`. */
export const LIMIT_READ = script(`
return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]) }
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
