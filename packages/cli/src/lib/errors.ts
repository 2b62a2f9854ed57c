/** Exit codes of the `covet` command, documented in `covet --help` and `docs/cli.md`. */
export const EXIT = {
  /** The command did what was asked (a token verified, a key written). */
  ok: 0,
  /** Verification failed, or the command could not do its work (unreadable file, bad key). */
  failure: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** The command line is wrong: exit 2, with the message and a pointer to `--help`. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE'
  readonly exitCode = EXIT.usage
}

/** The command could not do its work: exit 1. `code` is printed first when there is one. */
export class CommandFailure extends Error {
  readonly exitCode = EXIT.failure
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}
