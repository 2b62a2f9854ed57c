export type { RedisLimiterOptions } from './limiter.js'
export type { RedisClient, RedisStoreOptions } from './options.js'
export { createRedisStore, type RedisStore } from './store.js'
