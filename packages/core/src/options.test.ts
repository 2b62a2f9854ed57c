import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { ConfigError } from './errors.js'
import { milliseconds, parseOptions, seconds } from './options.js'

/** What `parseOptions` (or a schema run through it) throws, as `{ code, field, message }`. */
function refusal(run: () => unknown): { code: string; field: string; message: string } {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    const { code, field, message } = error as ConfigError
    return { code, field, message }
  }
  throw new Error('nothing was thrown')
}

const schema = v.object({
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  hosts: v.optional(v.array(v.pipe(v.string(), v.nonEmpty('must not be empty')))),
  nested: v.optional(v.object({ 'odd key': v.optional(v.boolean()) })),
  timeout: v.optional(milliseconds({ min: '1ms', max: '1m' }), '1s'),
})

describe('parseOptions', () => {
  it('returns the output of the schema, defaults filled', () => {
    expect(parseOptions(schema, {})).toEqual({ port: 0, timeout: 1000 })
  })

  it('names the field of the first issue, with indexes in brackets', () => {
    expect(refusal(() => parseOptions(schema, { hosts: ['a', ''] }))).toEqual({
      code: 'ERR_CONFIG',
      field: 'hosts[1]',
      message: 'hosts[1]: must not be empty',
    })
  })

  it('quotes a key that is not an identifier', () => {
    expect(refusal(() => parseOptions(schema, { nested: { 'odd key': 1 } })).field).toBe('nested["odd key"]')
  })

  it('puts the prefix before every field, and names the whole input by it', () => {
    expect(refusal(() => parseOptions(schema, { port: -1 }, { prefix: 'server' }))).toEqual({
      code: 'ERR_CONFIG',
      field: 'server.port',
      message: 'server.port: must be at least 0',
    })
    expect(refusal(() => parseOptions(schema, 'fast', { prefix: 'server' })).message).toBe(
      'server: must be an object',
    )
    expect(refusal(() => parseOptions(schema, null)).message).toBe('options: must be an object')
  })

  it('never echoes the value it refuses in a default message', () => {
    const { message } = refusal(() => parseOptions(schema, { port: 'hunter2-secret' }))
    expect(message).toBe('port: must be a number')
    expect(refusal(() => parseOptions(schema, { port: 1.5 })).message).toBe('port: must be an integer')
    const typed = v.object({ f: v.function(), o: v.object({}), s: v.instance(AbortSignal) })
    expect(refusal(() => parseOptions(typed, { f: 'x' })).message).toBe('f: must be a function')
    expect(refusal(() => parseOptions(typed, { f() {}, o: 'x' })).message).toBe('o: must be an object')
    expect(refusal(() => parseOptions(typed, { f() {}, o: {}, s: 'x' })).message).toBe(
      's: must be an instance of AbortSignal',
    )
  })

  it('says which option replaced a renamed one instead of ignoring it', () => {
    const renamed = { commandTimeoutMs: 'commandTimeout' }
    expect(refusal(() => parseOptions(schema, { commandTimeoutMs: 300 }, { renamed }))).toEqual({
      code: 'ERR_CONFIG',
      field: 'commandTimeoutMs',
      message: 'commandTimeoutMs: was renamed commandTimeout',
    })
  })

  it('finds a renamed option nested in another', () => {
    const renamed = { 'jwks.timeoutMs': 'jwks.timeout' }
    expect(refusal(() => parseOptions(schema, { jwks: { timeoutMs: 300 } }, { renamed }))).toMatchObject({
      field: 'jwks.timeoutMs',
      message: 'jwks.timeoutMs: was renamed jwks.timeout',
    })
    expect(parseOptions(schema, { jwks: 'none' }, { renamed })).toEqual({ port: 0, timeout: 1000 })
  })

  it('calls an unknown key of a strict object an unknown option', () => {
    const strict = v.strictObject({ mode: v.optional(v.string()) })
    expect(refusal(() => parseOptions(strict, { mod: 'any' }, { prefix: 'options' }))).toMatchObject({
      field: 'options.mod',
      message: 'options.mod: unknown option',
    })
  })
})

describe('durations', () => {
  const read = (input: unknown) => parseOptions(v.object({ d: milliseconds({ max: '1d' }) }), { d: input }).d
  const readSeconds = (input: unknown) =>
    parseOptions(v.object({ d: seconds({ max: '1d' }) }), { d: input }).d

  it.each([
    [5, 5000],
    ['5', 5000],
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['1d', 86_400_000],
    [' 2s ', 2000],
  ])('milliseconds() reads %j as %d ms', (input, ms) => {
    expect(read(input)).toBe(ms)
  })

  it.each([
    ['1500ms', 'must be a whole number of seconds, such as 900, "90s" or "15m", at most 1d'],
    [1.5, 'must be a whole number of seconds, such as 900, "90s" or "15m", at most 1d'],
    ['2d', 'must be a whole number of seconds, such as 900, "90s" or "15m", at most 1d'],
  ])('seconds() refuses %j: %s', (input, message) => {
    expect(refusal(() => readSeconds(input)).message).toBe(`d: ${message}`)
  })

  it('seconds() reads whole seconds, "ms" included when it is a whole number of them', () => {
    expect(readSeconds('2000ms')).toBe(2)
    expect(readSeconds('15m')).toBe(900)
  })

  it.each([
    [-1, 'must be a duration such as "250ms", "5s", "15m" or 900 (seconds), at most 1d'],
    ['2d', 'must be a duration such as "250ms", "5s", "15m" or 900 (seconds), at most 1d'],
    ['soon', 'must be a duration such as "250ms", "5s", "15m" or 900 (seconds), at most 1d'],
  ])('milliseconds() refuses %j: %s', (input, message) => {
    expect(refusal(() => read(input)).message).toBe(`d: ${message}`)
  })

  it('reports a value out of range at its own field, even inside a union', () => {
    const limit = v.object({
      rate: v.union(
        [v.literal(false), v.object({ window: seconds({ min: '1s', max: '1d' }) })],
        'must be false or { window }',
      ),
    })
    expect(refusal(() => parseOptions(limit, { rate: { window: 0 } })).field).toBe('rate.window')
    expect(refusal(() => parseOptions(limit, { rate: { window: 'soon' } })).field).toBe('rate')
  })

  it('states both bounds when there are two', () => {
    const bounded = v.object({ d: milliseconds({ min: '10ms', max: '1h' }) })
    expect(refusal(() => parseOptions(bounded, { d: '5ms' })).message).toBe(
      'd: must be a duration such as "250ms", "5s", "15m" or 900 (seconds), from 10ms to 1h',
    )
  })
})
