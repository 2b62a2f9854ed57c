import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError } from './errors.js'

export type Options = NonNullable<ParseArgsConfig['options']>

/** The parsed command line of one command. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

/**
 * `node:util` `parseArgs` in strict mode, with `--help` on every command; its errors (unknown
 * option, missing value) become `UsageError`s (exit 2).
 */
export function parse(args: readonly string[], options: Options, maxPositionals: number): Parsed {
  let parsed: Parsed
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as Parsed
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments')
  }
  if (parsed.positionals.length > maxPositionals && parsed.values['help'] !== true) {
    throw new UsageError(`unexpected argument: ${JSON.stringify(parsed.positionals[maxPositionals])}`)
  }
  return parsed
}

/** A string option's value, or `undefined`. */
export function str(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name]
  return typeof value === 'string' ? value : undefined
}

/** Values of a repeatable, comma-separated list option (`--roles a,b --roles c`). */
export function list(parsed: Parsed, name: string): string[] | undefined {
  const value = parsed.values[name]
  if (value === undefined) return undefined
  const items = (Array.isArray(value) ? value : [String(value)])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '')
  return items
}

/** One of `choices`, or a `UsageError` naming the option. */
export function choice<T extends string>(
  parsed: Parsed,
  name: string,
  choices: readonly T[],
  fallback?: T,
): T | undefined {
  const value = str(parsed, name)
  if (value === undefined) return fallback
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}`)
  }
  return value as T
}
