export type { RedisLimiterOptions } from './limiter.js'
export type { StoreObserver, StoreOperationOutcome } from './observe.js'
export type { RedisClient, RedisStoreOptions } from './options.js'
export { createRedisStore, type RedisStore } from './store.js'
