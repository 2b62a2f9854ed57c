import { configGet } from './lib/config-get.js'
import type { RedisClient } from './options.js'

/**
 * Warn when Redis may evict keys under memory pressure. Every key this store writes has an
 * expiry, so `volatile-*` policies can drop them as well as `allkeys-*` ones; an evicted
 * revocation silently un-revokes a token. Only `noeviction` is safe. Managed services often
 * refuse CONFIG: then nothing can be said and nothing is reported.
 * @see https://redis.io/docs/latest/develop/reference/eviction/
 */
export async function checkEvictionPolicy(
  client: RedisClient,
  warn: (message: string) => void,
): Promise<string | undefined> {
  let policy: string | undefined
  try {
    policy = await configGet(client, 'maxmemory-policy')
  } catch {
    return undefined
  }
  if (policy !== undefined && policy !== 'noeviction') {
    warn(
      `@covet/redis: Redis maxmemory-policy is "${policy}"; under memory pressure Redis may evict ` +
        'revocation keys, which un-revokes tokens. Set maxmemory-policy to "noeviction".',
    )
  }
  return policy
}
