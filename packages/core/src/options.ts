/**
 * `@covet/core/options`: how every Covet package checks the options of its factories. A factory
 * parses its options once, with a valibot schema, and a mistake throws `ConfigError` naming the
 * option (`clients[0].scopes`), never echoing its value. Durations are `Duration`s everywhere.
 */
import * as v from 'valibot'
import { ConfigError } from './errors.js'
import { durationMs, parseDuration } from './lib/duration.js'
import type { Duration } from './types.js'

export type { Duration } from './types.js'

/** How `parseOptions` names fields. */
export interface ParseOptionsSettings {
  /** The name of the whole input, put before every field: `'dpop'` → `dpop.maxAge`. Default none (the whole is `options`). */
  readonly prefix?: string | undefined
  /**
   * Options that were renamed, old name → new one (dotted for a nested one: `'jwks.timeoutMs'`):
   * an input that still uses the old name is refused, naming the new one, rather than ignored.
   */
  readonly renamed?: Readonly<Record<string, string>> | undefined
}

/**
 * `input` checked against `schema` (valibot), defaults filled. Throws `ConfigError` whose `field`
 * names the first offending option, indexes in brackets (`clients[0].scopes[1]`), and whose
 * message never holds the value refused.
 *
 * @example
 * ```ts
 * const schema = v.object({ port: v.optional(v.pipe(v.number(), v.integer()), 0), timeout: milliseconds({ max: '1m' }) })
 * parseOptions(schema, { port: 'x', timeout: '5s' }, { prefix: 'server' })
 * // ConfigError: server.port: must be a number
 * ```
 */
export function parseOptions<Schema extends v.GenericSchema>(
  schema: Schema,
  input: unknown,
  settings: ParseOptionsSettings = {},
): v.InferOutput<Schema> {
  const { prefix = '', renamed } = settings
  if (typeof input !== 'object' || input === null)
    throw new ConfigError(prefix || 'options', 'must be an object')
  for (const [old, now] of Object.entries(renamed ?? {})) {
    const path = old.split('.')
    if (holds(input, path)) throw new ConfigError(path.reduce(appendKey, prefix), `was renamed ${now}`)
  }
  const result = v.safeParse(schema, input, { message: defaultMessage })
  if (result.success) return result.output
  const issue = result.issues[0]
  let field = prefix
  for (const item of issue.path ?? []) field = appendKey(field, item.key)
  throw new ConfigError(field || 'options', issue.message)
}

/** Where two bounds of a duration lie, each a `Duration`. */
export interface DurationBounds {
  readonly min?: Duration
  readonly max?: Duration
}

/**
 * A valibot schema taking a `Duration` and giving whole milliseconds, within `bounds` (default
 * from 0). For timeouts and intervals.
 *
 * @example
 * ```ts
 * v.object({ commandTimeout: v.optional(milliseconds({ min: '1ms', max: '1m' }), '1s') })
 * ```
 */
export function milliseconds(bounds: DurationBounds = {}) {
  const message = `must be a duration such as "250ms", "5s", "15m" or 900 (seconds)${range(bounds)}`
  return duration(durationMs, 1, bounds, message)
}

/**
 * A valibot schema taking a `Duration` and giving whole seconds, within `bounds`. For what the
 * protocols count in seconds: token lifetimes, clock tolerance, `Max-Age`.
 *
 * @example
 * ```ts
 * v.object({ accessTokenTtl: v.optional(seconds({ min: '1s' }), '15m') })
 * ```
 */
export function seconds(bounds: DurationBounds = {}) {
  const message = `must be a whole number of seconds, such as 900, "90s" or "15m"${range(bounds)}`
  return duration(parseDuration, 1000, bounds, message)
}

/**
 * A `Duration` read by `read` in units of `unitMs`. The bounds are a check apart from the type,
 * so that a union holding the schema reports an out-of-range value at the value's own field.
 */
function duration(
  read: (value: unknown) => number | undefined,
  unitMs: number,
  bounds: DurationBounds,
  message: string,
) {
  const [min, max] = limits(bounds)
  return v.pipe(
    v.custom<Duration>((value) => read(value) !== undefined, message),
    v.transform((value) => read(value) as number),
    v.check((value) => value * unitMs >= min && value * unitMs <= max, message),
  )
}

function limits(bounds: DurationBounds): [number, number] {
  const min = bounds.min === undefined ? 0 : durationMs(bounds.min)
  const max = bounds.max === undefined ? Number.MAX_SAFE_INTEGER : durationMs(bounds.max)
  if (min === undefined || max === undefined) throw new TypeError('duration bounds must be Durations')
  return [min, max]
}

function range({ min, max }: DurationBounds): string {
  const shown = (d: Duration) => (typeof d === 'number' ? `${d}s` : d)
  if (min !== undefined && max !== undefined) return `, from ${shown(min)} to ${shown(max)}`
  if (max !== undefined) return `, at most ${shown(max)}`
  return min === undefined ? '' : `, at least ${shown(min)}`
}

/** Whether `input` has an own member at `path` (`['jwks', 'timeoutMs']`). */
function holds(input: object, path: readonly string[]): boolean {
  let at: unknown = input
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return false
    at = (at as Record<string, unknown>)[key]
  }
  return true
}

/** `field.key`, or `field[0]` / `field["odd key"]` where a dot would not read as JavaScript. */
function appendKey(field: string, key: unknown): string {
  if (typeof key === 'number') return `${field}[${key}]`
  if (typeof key !== 'string') return field
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${field}[${JSON.stringify(key)}]`
  return field === '' ? key : `${field}.${key}`
}

const TYPES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  function: 'a function',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  bigint: 'a bigint',
}

/**
 * The message of an issue the schema gave none: valibot's own quote the value received, which
 * may be a secret.
 */
function defaultMessage(issue: v.BaseIssue<unknown>): string {
  const requirement = (issue as { requirement?: unknown }).requirement
  switch (issue.type) {
    case 'strict_object':
      return issue.expected === 'never' ? 'unknown option' : 'must be an object'
    case 'integer':
      return 'must be an integer'
    case 'min_value':
      return `must be at least ${String(requirement)}`
    case 'max_value':
      return `must be at most ${String(requirement)}`
    case 'min_length':
      return `must have a length of at least ${String(requirement)}`
    case 'max_length':
      return `must have a length of at most ${String(requirement)}`
    case 'non_empty':
      return 'must not be empty'
  }
  if (issue.kind === 'schema') {
    const expected = issue.expected ?? 'something else'
    const type = TYPES[expected.toLowerCase()]
    return `must be ${type ?? (/^[A-Z]\w*$/.test(expected) ? `an instance of ${expected}` : expected)}`
  }
  return `is invalid (expected ${issue.expected ?? 'something else'})`
}
