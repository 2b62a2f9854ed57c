import { describe, expectTypeOf, it } from 'vitest'
import type { RedisStoreOptions } from './options.js'

describe('createRedisStore options', () => {
  it('take every time as a Duration and the warning hook as warn', () => {
    const options = {
      url: 'redis://127.0.0.1:6379',
      commandTimeout: '250ms',
      connectTimeout: 5,
      heartbeatInterval: '1s',
      maxReconnectDelay: '2s',
      retainAfterExpiry: '60s',
      warn: (message: string) => void message,
    } satisfies RedisStoreOptions
    expectTypeOf(options).toExtend<RedisStoreOptions>()
  })

  it('no longer have the 0.1 names', () => {
    // @ts-expect-error commandTimeoutMs was renamed commandTimeout (a Duration)
    expectTypeOf({ url: 'redis://h', commandTimeoutMs: 300 } satisfies RedisStoreOptions).toBeObject()
    // @ts-expect-error onWarning was renamed warn
    expectTypeOf({ url: 'redis://h', onWarning: () => {} } satisfies RedisStoreOptions).toBeObject()
  })
})
