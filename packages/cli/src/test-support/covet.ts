import type { Io } from '../lib/io.js'
import { main } from '../main.js'

/** What one `covet` run printed and exited with. */
export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs `covet <args>` in-process with buffered streams, the given environment and standard input. */
export async function covet(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const io: Io = {
    out: (text) => {
      stdout += text.endsWith('\n') ? text : `${text}\n`
    },
    err: (text) => {
      stderr += text.endsWith('\n') ? text : `${text}\n`
    },
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}
