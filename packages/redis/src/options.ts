import { ConfigError, type Duration } from '@covet/core'
import { milliseconds, parseOptions } from '@covet/core/options'
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
  /** How long a Redis command may take before it fails with `StoreUnavailableError`. Default `'1s'`, at most `'1m'`. */
  commandTimeout?: Duration
  /** How long the first connection may take before `createRedisStore` rejects. Default `'5s'`, at most `'5m'`. */
  connectTimeout?: Duration
  /**
   * Time between liveness checks of the invalidation connection. A check that does not answer
   * within `commandTimeout` makes the local cache untrusted until one does. Default `'1s'`.
   */
  heartbeatInterval?: Duration
  /** Longest wait between reconnection attempts. Default `'2s'`, at most `'5m'`. */
  maxReconnectDelay?: Duration
  /**
   * How long an entry outlives the token it protects, so that a token still accepted within the
   * verifier's clock tolerance stays revoked. Default `'60s'` (Covet's largest tolerance).
   */
  retainAfterExpiry?: Duration
  /**
   * Where start-up warnings go (an eviction policy, or no persistence, that could lose
   * revocations); the same hook as `createJwtAuth({ warn })`. Default `console.warn`.
   */
  warn?: (message: string) => void
  /** Milliseconds since the epoch; for tests. Default `Date.now`. */
  clock?: () => number
}

/** The options once checked; times in milliseconds. */
export interface ResolvedOptions {
  url: string | undefined
  client: RedisClient | undefined
  prefix: string
  commandTimeoutMs: number
  connectTimeoutMs: number
  heartbeatIntervalMs: number
  maxReconnectDelayMs: number
  retainMs: number
  warn: (message: string) => void
  clock: () => number
}

const fn = () =>
  v.optional(v.custom<(...args: never[]) => unknown>((x) => typeof x === 'function', 'must be a function'))

const schema = v.object({
  url: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'))),
  client: v.optional(
    v.custom<RedisClient>(
      (x) =>
        typeof x === 'object' && x !== null && typeof (x as { duplicate?: unknown }).duplicate === 'function',
      'must be a node-redis client',
    ),
  ),
  prefix: v.optional(
    v.pipe(v.string(), v.regex(/^[^{}\s]{1,64}$/, 'must be 1 to 64 characters without braces or spaces')),
    'covet:',
  ),
  commandTimeout: v.optional(milliseconds({ min: '1ms', max: '1m' }), '1s'),
  connectTimeout: v.optional(milliseconds({ min: '1ms', max: '5m' }), '5s'),
  heartbeatInterval: v.optional(milliseconds({ min: '10ms', max: '1h' }), '1s'),
  maxReconnectDelay: v.optional(milliseconds({ min: '10ms', max: '5m' }), '2s'),
  retainAfterExpiry: v.optional(milliseconds(), '60s'),
  warn: fn(),
  clock: fn(),
})

/** The options of 0.1, refused by name so that a value meant in milliseconds is not read in seconds. */
const RENAMED = {
  commandTimeoutMs: 'commandTimeout',
  connectTimeoutMs: 'connectTimeout',
  heartbeatIntervalMs: 'heartbeatInterval',
  maxReconnectDelayMs: 'maxReconnectDelay',
  onWarning: 'warn',
}

/** Validate the options once, at construction; a mistake throws `ConfigError` naming the option. */
export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  const o = parseOptions(schema, options, { renamed: RENAMED })
  if ((o.url === undefined) === (o.client === undefined)) {
    throw new ConfigError('url', 'give exactly one of url or client')
  }
  return {
    url: o.url,
    client: o.client,
    prefix: o.prefix,
    commandTimeoutMs: o.commandTimeout,
    connectTimeoutMs: o.connectTimeout,
    heartbeatIntervalMs: o.heartbeatInterval,
    maxReconnectDelayMs: o.maxReconnectDelay,
    retainMs: o.retainAfterExpiry,
    warn: (o.warn as ((message: string) => void) | undefined) ?? ((message) => console.warn(message)),
    clock: (o.clock as (() => number) | undefined) ?? Date.now,
  }
}
