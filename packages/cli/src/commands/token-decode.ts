import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { Parsed } from '../lib/args.js'
import { CommandFailure, EXIT } from '../lib/errors.js'
import type { Io } from '../lib/io.js'
import { readToken } from '../lib/token-arg.js'

export const help = `Usage: covet token decode <token|->

Print a token's header and claims WITHOUT VERIFYING IT. Anyone can write any claims into an
unsigned or forged token: never base a decision on this output. Use 'covet token verify'.

  <token>      the token, or - to read it from standard input
  -h, --help   show this help

The output is JSON with "verified": false; a warning goes to standard error.

Exit codes: 0 decoded, 1 not a JWT, 2 usage error.`

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = {} as const

/** Positional arguments taken at most. */
export const positionals = 1

/** `covet token decode` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const token = await readToken(parsed, io)
  let decoded: { header: unknown; payload: unknown }
  try {
    decoded = { header: decodeProtectedHeader(token), payload: decodeJwt(token) }
  } catch {
    throw new CommandFailure('not a compact JWS-encoded JWT (RFC 7519 §7.2)', 'ERR_TOKEN_INVALID')
  }
  io.err('UNVERIFIED: the signature and claims were NOT checked; do not trust this output')
  io.out(`${JSON.stringify({ verified: false, ...decoded }, null, 2)}\n`)
  return EXIT.ok
}
