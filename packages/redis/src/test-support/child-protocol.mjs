// The protocol of the test children (child.mjs, login-child.mjs): JSON lines on stdin name an
// operation and its arguments; each answer is one JSON line on stdout, matched by its id.
import { createInterface } from 'node:readline'

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves at the wall-clock time `atMs`, so that two processes act at the same moment. */
export async function until(atMs) {
  while (Date.now() < atMs) await sleep(Math.min(5, atMs - Date.now()))
}

/**
 * Answer the parent's requests with `ops` (a failure is sent as its `code`), then say ready;
 * `close()` is added: it closes `store` and ends the process once its answer is sent.
 */
export function serveOps(ops, store) {
  const all = {
    ...ops,
    async close() {
      await store.close()
      setImmediate(() => process.exit(0))
      return true
    },
  }
  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)
  createInterface({ input: process.stdin }).on('line', async (line) => {
    const { id, op, args } = JSON.parse(line)
    try {
      send({ id, value: (await all[op](...args)) ?? null })
    } catch (error) {
      send({ id, error: error?.code ?? String(error) })
    }
  })
  send({ ready: true })
}
