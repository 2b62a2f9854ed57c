import { describe, expect, it } from 'vitest'
import { originOf, parseServeOptions } from './serve-options.js'

describe('parseServeOptions', () => {
  it('fills the port and hostname defaults and keeps the rest', () => {
    const onListen = () => {}
    expect(parseServeOptions({ onListen })).toEqual({ port: 0, hostname: '127.0.0.1', onListen })
  })

  it.each([
    [{ port: 70_000 }, 'port', 'port: must be at most 65535'],
    [{ port: 80.5 }, 'port', 'port: must be an integer'],
    [{ port: '8080' }, 'port', 'port: must be a number'],
    [{ hostname: '' }, 'hostname', 'hostname: must not be empty'],
    [{ reportError: 'log' }, 'reportError', 'reportError: must be a function'],
  ])('refuses %j with ConfigError naming %s once, without the value', (options, field, message) => {
    expect(() => parseServeOptions(options as never)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field, message }),
    )
  })

  it('refuses the 0.1 observer onError by its new name, reportError', () => {
    expect(() => parseServeOptions({ onError: () => {} } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        field: 'onError',
        message:
          'onError: was renamed reportError (it only observes; onError in withJwtAuth replaces the answer)',
      }),
    )
  })

  it('brackets an IPv6 literal in the origin', () => {
    expect(originOf('::1', 8080)).toBe('http://[::1]:8080')
  })
})
