import { type Options, type Parsed, parse } from './args.js'
import { EXIT } from './errors.js'
import type { Io } from './io.js'

/** One `covet` command: its usage, what it parses, and what it does with that. */
export interface Command {
  /** The usage text `--help` prints, starting `Usage: covet …`. */
  readonly help: string
  /** The options it takes (`node:util` `parseArgs`); `-h`/`--help` is added to every command. */
  readonly options: Options
  /** How many positional arguments it takes at most. */
  readonly positionals: number
  run(parsed: Parsed, io: Io): Promise<number>
}

/**
 * Parse `args` for `command` and run it, or print its usage on `--help` (exit 0) — the one place
 * every command's help is handled. Throws `UsageError` for arguments it does not take.
 */
export function runCommand(command: Command, args: readonly string[], io: Io): Promise<number> {
  const parsed = parse(args, command.options, command.positionals)
  if (parsed.values['help'] === true) {
    io.out(command.help)
    return Promise.resolve(EXIT.ok)
  }
  return command.run(parsed, io)
}
