import { ConfigError } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { resolveOptions } from './options.js'

describe('resolveOptions', () => {
  it('fills the defaults', () => {
    const o = resolveOptions({ url: 'redis://127.0.0.1:6379' })
    expect(o).toMatchObject({
      prefix: 'covet:',
      commandTimeoutMs: 1000,
      connectTimeoutMs: 5000,
      heartbeatIntervalMs: 1000,
      maxReconnectDelayMs: 2000,
      retainMs: 60_000,
    })
  })

  it('reads retainAfterExpiry as a duration', () => {
    expect(resolveOptions({ url: 'redis://h', retainAfterExpiry: '2m' }).retainMs).toBe(120_000)
    expect(resolveOptions({ url: 'redis://h', retainAfterExpiry: 5 }).retainMs).toBe(5000)
  })

  it.each([
    [{}, 'url', 'url: give exactly one of url or client'],
    [{ url: 'http://h' }, 'url', 'url: url must start with redis:// or rediss://'],
    [
      { url: 'redis://h', prefix: 'a{b}' },
      'prefix',
      'prefix: prefix must be 1 to 64 characters without braces or spaces',
    ],
    [
      { url: 'redis://h', commandTimeoutMs: 0 },
      'commandTimeoutMs',
      'commandTimeoutMs: commandTimeoutMs must be at least 1',
    ],
    [
      { url: 'redis://h', heartbeatIntervalMs: 1.5 },
      'heartbeatIntervalMs',
      'heartbeatIntervalMs: heartbeatIntervalMs must be an integer',
    ],
    [
      { url: 'redis://h', retainAfterExpiry: 'later' },
      'retainAfterExpiry',
      'retainAfterExpiry: retainAfterExpiry must be a duration',
    ],
    [{ url: 'redis://h', onWarning: 'console' }, 'onWarning', 'onWarning: onWarning must be a function'],
    [{ url: 'redis://h', client: {} }, 'client', 'client: client must be a node-redis client'],
  ])('refuses %j with ConfigError on %s', (options, field, message) => {
    let thrown: unknown
    try {
      resolveOptions(options as never)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConfigError)
    expect(thrown).toMatchObject({ code: 'ERR_CONFIG', field, message })
  })
})
