export { CommandFailure, EXIT, type ExitCode, UsageError } from './lib/errors.js'
export type { Io } from './lib/io.js'
export { HELP, main } from './main.js'
