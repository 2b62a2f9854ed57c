import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { RedisStoreOptions } from '../options.js'

const STORE_SCRIPT = fileURLToPath(new URL('./child.mjs', import.meta.url))

export interface Reply {
  value?: unknown
  error?: string
}

/** A store in another Node process (see `child.mjs`), or another script speaking its protocol. */
export class ChildStore {
  #next = 0
  readonly #pending = new Map<number, (reply: Reply) => void>()

  private constructor(private readonly child: ChildProcess) {}

  static async spawn(
    config: { store: RedisStoreOptions; secret?: string },
    script = STORE_SCRIPT,
  ): Promise<ChildStore> {
    const child = spawn(process.execPath, [script, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const store = new ChildStore(child)
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as Reply & { id?: number; ready?: boolean }
        if (message.ready) resolve()
        else if (message.id !== undefined) store.#pending.get(message.id)?.(message)
      })
    })
    await ready
    return store
  }

  call(op: string, ...args: unknown[]): Promise<Reply> {
    const id = this.#next++
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.child.stdin!.write(`${JSON.stringify({ id, op, args })}\n`)
    })
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    await this.call('close')
    await exited
  }
}
