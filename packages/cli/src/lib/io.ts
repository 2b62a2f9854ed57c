/** Where a command writes and reads; the real process streams by default, buffers in tests. */
export interface Io {
  out(text: string): void
  err(text: string): void
  /** The whole of standard input, for arguments given as `-`. */
  readStdin(): Promise<string>
  /** Environment variables the command may read (`COVET_SECRET`, `COVET_PRIVATE_KEY_FILE`). */
  env: Readonly<Record<string, string | undefined>>
}

/** The process's own streams and environment. */
export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
  env: process.env,
}
