import { script } from './scripts.js'

/**
 * Replace a live record's value and answer the old one, in one atomic step: of any number of
 * concurrent callers on any server, each sees what the one before it wrote, so exactly one sees
 * the value `putRecord` stored (a single-use authorization code). KEYS: record. ARGV: new value.
 * A missing key stays missing (answers nil); the expiry is kept.
 */
export const SWAP_RECORD = script(`
local previous = redis.call('GET', KEYS[1])
if not previous then return false end
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return previous
`)
