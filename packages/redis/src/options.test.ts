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

  it('reads every time as a Duration: whole seconds, or a string with its unit', () => {
    const o = resolveOptions({
      url: 'redis://h',
      commandTimeout: '250ms',
      connectTimeout: 2,
      heartbeatInterval: '1m',
      maxReconnectDelay: '500ms',
      retainAfterExpiry: '2m',
    })
    expect(o).toMatchObject({
      commandTimeoutMs: 250,
      connectTimeoutMs: 2000,
      heartbeatIntervalMs: 60_000,
      maxReconnectDelayMs: 500,
      retainMs: 120_000,
    })
    expect(resolveOptions({ url: 'redis://h', retainAfterExpiry: 5 }).retainMs).toBe(5000)
  })

  it('takes the warning hook under the name createJwtAuth uses: warn', () => {
    const warn = (_message: string) => {}
    expect(resolveOptions({ url: 'redis://h', warn }).warn).toBe(warn)
  })

  it.each([
    [{}, 'url', 'url: give exactly one of url or client'],
    [{ url: 'http://h' }, 'url', 'url: must start with redis:// or rediss://'],
    [
      { url: 'redis://h', prefix: 'a{b}' },
      'prefix',
      'prefix: must be 1 to 64 characters without braces or spaces',
    ],
    [
      { url: 'redis://h', commandTimeout: 0 },
      'commandTimeout',
      'commandTimeout: must be a duration such as "250ms", "5s", "15m" or 900 (seconds), from 1ms to 1m',
    ],
    [
      // A number is seconds: 1000 of them is no command timeout.
      { url: 'redis://h', commandTimeout: 1000 },
      'commandTimeout',
      'commandTimeout: must be a duration such as "250ms", "5s", "15m" or 900 (seconds), from 1ms to 1m',
    ],
    [
      { url: 'redis://h', heartbeatInterval: 1.5 },
      'heartbeatInterval',
      'heartbeatInterval: must be a duration such as "250ms", "5s", "15m" or 900 (seconds), from 10ms to 1h',
    ],
    [
      { url: 'redis://h', retainAfterExpiry: 'later' },
      'retainAfterExpiry',
      'retainAfterExpiry: must be a duration such as "250ms", "5s", "15m" or 900 (seconds)',
    ],
    [{ url: 'redis://h', warn: 'console' }, 'warn', 'warn: must be a function'],
    [{ url: 'redis://h', client: {} }, 'client', 'client: must be a node-redis client'],
    [null, 'options', 'options: must be an object'],
  ])('refuses %j with ConfigError on %s, naming it once', (options, field, message) => {
    expect(refusal(options)).toMatchObject({ code: 'ERR_CONFIG', field, message })
  })

  it.each([
    ['commandTimeoutMs', 'commandTimeout'],
    ['connectTimeoutMs', 'connectTimeout'],
    ['heartbeatIntervalMs', 'heartbeatInterval'],
    ['maxReconnectDelayMs', 'maxReconnectDelay'],
    ['onWarning', 'warn'],
  ])(
    'refuses the 0.1 option %s by its new name %s, so that milliseconds are not read as seconds',
    (old, now) => {
      expect(refusal({ url: 'redis://h', [old]: 300 })).toMatchObject({
        code: 'ERR_CONFIG',
        field: old,
        message: `${old}: was renamed ${now}`,
      })
    },
  )
})

function refusal(options: unknown): unknown {
  try {
    resolveOptions(options as never)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error
  }
  throw new Error('resolveOptions accepted the options')
}
