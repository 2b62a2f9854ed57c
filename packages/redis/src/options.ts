import { ConfigError, type Duration, parseDuration } from '@covet/core'
import type { RedisClientType } from 'redis'
import * as v from 'valibot'

/**
 * A node-redis 5 client (`createClient()`), connected or not. The store runs its commands on it
 * and opens one more connection with `client.duplicate()` for the invalidation channel.
 */
// biome-ignore lint/suspicious/noExplicitAny: node-redis clients are generic over modules, scripts and RESP; the store uses only raw commands.
export type RedisClient = RedisClientType<any, any, any, any, any>

export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL. Give `url` or `client`, not both. */
  url?: string
  /** An existing node-redis client; the store never closes it. Give `url` or `client`, not both. */
  client?: RedisClient
  /** Prefix of every key and of the invalidation channel. No braces. Default `'covet:'`. */
  prefix?: string
  /** Milliseconds a Redis command may take before it fails with `StoreUnavailableError`. Default 1000. */
  commandTimeoutMs?: number
  /** Milliseconds the first connection may take before `createRedisStore` rejects. Default 5000. */
  connectTimeoutMs?: number
  /**
   * Milliseconds between liveness checks of the invalidation connection. A check that does not
   * answer within `commandTimeoutMs` makes the local cache untrusted until one does. Default 1000.
   */
  heartbeatIntervalMs?: number
  /** Longest wait between reconnection attempts, in milliseconds. Default 2000. */
  maxReconnectDelayMs?: number
  /**
   * How long an entry outlives the token it protects, so that a token still accepted within the
   * verifier's clock tolerance stays revoked. Default `'60s'` (Covet's largest tolerance).
   */
  retainAfterExpiry?: Duration
  /** Start-up warnings (an eviction policy, or no persistence, that could lose revocations). Default `console.warn`. */
  onWarning?: (message: string) => void
  /** Milliseconds since the epoch; for tests. Default `Date.now`. */
  clock?: () => number
}

export interface ResolvedOptions {
  url: string | undefined
  client: RedisClient | undefined
  prefix: string
  commandTimeoutMs: number
  connectTimeoutMs: number
  heartbeatIntervalMs: number
  maxReconnectDelayMs: number
  retainMs: number
  onWarning: (message: string) => void
  clock: () => number
}

const milliseconds = (name: string, fallback: number, min: number) =>
  v.optional(
    v.pipe(
      v.number(`${name} must be a number of milliseconds`),
      v.integer(`${name} must be an integer`),
      v.minValue(min, `${name} must be at least ${min}`),
      v.maxValue(3_600_000, `${name} must be at most an hour`),
    ),
    fallback,
  )

const fn = (name: string) =>
  v.optional(
    v.custom<(...args: never[]) => unknown>((x) => typeof x === 'function', `${name} must be a function`),
  )

const schema = v.object({
  url: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\//, 'url must start with redis:// or rediss://'))),
  client: v.optional(
    v.custom<RedisClient>(
      (x) =>
        typeof x === 'object' && x !== null && typeof (x as { duplicate?: unknown }).duplicate === 'function',
      'client must be a node-redis client',
    ),
  ),
  prefix: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[^{}\s]{1,64}$/, 'prefix must be 1 to 64 characters without braces or spaces'),
    ),
    'covet:',
  ),
  commandTimeoutMs: milliseconds('commandTimeoutMs', 1000, 1),
  connectTimeoutMs: milliseconds('connectTimeoutMs', 5000, 1),
  heartbeatIntervalMs: milliseconds('heartbeatIntervalMs', 1000, 10),
  maxReconnectDelayMs: milliseconds('maxReconnectDelayMs', 2000, 10),
  retainAfterExpiry: v.optional(
    v.pipe(
      v.custom<Duration>((x) => parseDuration(x) !== undefined, 'retainAfterExpiry must be a duration'),
      v.transform((x) => parseDuration(x)!),
    ),
    60,
  ),
  onWarning: fn('onWarning'),
  clock: fn('clock'),
})

/** Validate the options once, at construction; a mistake throws `ConfigError` naming the option. */
export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'must be an object')
  const result = v.safeParse(schema, options)
  if (!result.success) {
    const issue = result.issues[0]
    const field = issue.path?.map((p) => String(p.key)).join('.') ?? 'options'
    throw new ConfigError(field, issue.message)
  }
  const o = result.output
  if ((o.url === undefined) === (o.client === undefined)) {
    throw new ConfigError('url', 'give exactly one of url or client')
  }
  return {
    url: o.url,
    client: o.client,
    prefix: o.prefix,
    commandTimeoutMs: o.commandTimeoutMs,
    connectTimeoutMs: o.connectTimeoutMs,
    heartbeatIntervalMs: o.heartbeatIntervalMs,
    maxReconnectDelayMs: o.maxReconnectDelayMs,
    retainMs: Math.round(o.retainAfterExpiry * 1000),
    onWarning:
      (o.onWarning as ((message: string) => void) | undefined) ?? ((message) => console.warn(message)),
    clock: (o.clock as (() => number) | undefined) ?? Date.now,
  }
}
