import type { Parsed } from './args.js'
import { UsageError } from './errors.js'
import type { Io } from './io.js'

/** The `<token>` argument, or standard input for `-`, without surrounding whitespace. */
export async function readToken(parsed: Parsed, io: Io): Promise<string> {
  const arg = parsed.positionals[0]
  if (arg === undefined) throw new UsageError('the token is required (or - to read it from standard input)')
  const token = (arg === '-' ? await io.readStdin() : arg).trim()
  if (token === '') throw new UsageError('the token is empty')
  return token
}
