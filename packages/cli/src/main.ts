import { createRequire } from 'node:module'
import * as demo from './commands/demo.js'
import * as dpopProof from './commands/dpop-proof.js'
import * as keysGenerate from './commands/keys-generate.js'
import * as keysPublic from './commands/keys-public.js'
import * as tokenDecode from './commands/token-decode.js'
import * as tokenSign from './commands/token-sign.js'
import * as tokenVerify from './commands/token-verify.js'
import { type Command, runCommand } from './lib/command.js'
import { findDemo } from './lib/demo-entry.js'
import { CommandFailure, EXIT, UsageError } from './lib/errors.js'
import { type Io, processIo } from './lib/io.js'

/** This package's version, from its own package.json (beside `src/` and `dist/` alike). */
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version

const COMMANDS: Record<string, Command> = {
  'keys generate': keysGenerate,
  'keys public': keysPublic,
  'token sign': tokenSign,
  'token verify': tokenVerify,
  'token decode': tokenDecode,
  'dpop proof': dpopProof,
  demo,
}

const GROUPS: Record<string, string> = {
  keys: `Usage: covet keys <command>

  generate   generate a signing key or HMAC secret
  public     print the public JWK Set of a private key

Run 'covet keys <command> --help' for its options.`,
  token: `Usage: covet token <command>

  sign       sign a token
  verify     verify a token and print its claims, or the error code
  decode     print a token's header and claims, UNVERIFIED

Run 'covet token <command> --help' for its options.`,
  dpop: `Usage: covet dpop <command>

  proof      print a DPoP proof (RFC 9449) for one request, to send with curl

Run 'covet dpop <command> --help' for its options.`,
}

const DEMO_LINE = `
  demo [--port <port>]                                        start the demo application`

/** The top-level help; the demo is listed only in a clone of the repository, where it runs. */
export const HELP = `Usage: covet <command> [options]

JWT keys and tokens for Covet.

Commands:
  keys generate --alg <alg> [--kid <id>] [--format pem|jwk]   generate a key or secret
  keys public <file>                                          public JWK Set of a key or JWK Set
  token sign --sub <subject> [--roles a,b] [--ttl 15m] ...    sign a token
  token verify <token> [--jwks <url|file>] [--secret ...]     verify; print claims or error code
  token decode <token>                                        print header and claims, UNVERIFIED
  dpop proof --key <file> --url <url> [--token <token>] ...   print a DPoP proof for one request

Run 'covet <command> --help' for a command's options.

Exit codes:
  0  success (a token verified, a key printed)
  1  verification failed, or the command could not do its work
  2  usage error (unknown command or option, missing argument)`

/**
 * Runs the `covet` command line and resolves its exit code: 0 success, 1 verification or runtime
 * failure, 2 usage error. Errors are printed to `io.err`, never with a token or key in them.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2))
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [first, second] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const help = findDemo() === undefined ? HELP : HELP.replace(/\n\nRun/, `${DEMO_LINE}\n\nRun`)
    io[first === undefined ? 'err' : 'out'](help)
    return first === undefined ? EXIT.usage : EXIT.ok
  }
  if (first === '--version' || first === '-v') {
    io.out(`covet ${VERSION}`)
    return EXIT.ok
  }
  const group = GROUPS[first]
  const name = group === undefined ? first : `${first} ${second ?? ''}`
  const command = COMMANDS[name]
  try {
    if (command === undefined) {
      if (group !== undefined && (second === undefined || second === '--help' || second === '-h')) {
        io[second === undefined ? 'err' : 'out'](group)
        return second === undefined ? EXIT.usage : EXIT.ok
      }
      throw new UsageError(`unknown command: ${name.trim()}`)
    }
    return await runCommand(command, argv.slice(group === undefined ? 1 : 2), io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`covet: ${error.message}\nRun 'covet ${command ? `${name} ` : ''}--help' for usage.`)
      return EXIT.usage
    }
    if (error instanceof CommandFailure) {
      io.err(`covet: ${error.code ? `${error.code}: ` : ''}${error.message}`)
      return EXIT.failure
    }
    const code = (error as { code?: unknown }).code
    io.err(`covet: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`)
    return EXIT.failure
  }
}
