import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

export interface RedisServerOptions {
  /**
   * Persist with an append-only file (`appendonly yes`, `appendfsync always`: every write is on
   * disk before Redis answers it) in a private temporary directory that survives `kill` and
   * `restart`, and goes with `dispose`. Without it the server persists nothing.
   */
  readonly aof?: boolean
}

/** A private `redis-server` child for tests that stop, freeze or restart Redis. */
export class RedisServer {
  #child: ChildProcess | undefined
  #dir: string | undefined

  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
    private readonly options: RedisServerOptions,
  ) {}

  static async start(args: readonly string[] = [], options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), args, options)
    await server.start()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  get pid(): number | undefined {
    return this.#child?.pid
  }

  /** Start `redis-server` and wait until it answers; fail with its own output if it exits or stays silent. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
    if (this.options.aof) {
      this.#dir ??= await mkdtemp(join(tmpdir(), 'covet-redis-aof-'))
      args.push('--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.#dir)
    }
    const child = spawn('redis-server', [...args, ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.#child = child
    let output = ''
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    const deadline = performance.now() + 5000
    while (performance.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break
      if ((await answeringPid(this.port)) === child.pid) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    child.kill('SIGKILL')
    throw new Error(
      `redis-server did not start on port ${this.port}: ${output.trim().split('\n').slice(-3).join(' | ')}`,
    )
  }

  /** SIGKILL, as a crash: no goodbye on any connection beyond the kernel closing the sockets. */
  async kill(): Promise<void> {
    const child = this.#child
    this.#child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGKILL')
    await once(child, 'exit')
  }

  /** A crash and a start on the same port: with `aof`, Redis reloads what it had written. */
  async restart(): Promise<void> {
    await this.kill()
    await this.start()
  }

  /** `kill`, then remove the append-only file's directory, if any. */
  async dispose(): Promise<void> {
    await this.kill()
    if (this.#dir !== undefined) await rm(this.#dir, { recursive: true, force: true })
    this.#dir = undefined
  }

  /** SIGSTOP / SIGCONT: the server keeps its sockets open and answers nothing. */
  freeze(): void {
    this.#child?.kill('SIGSTOP')
  }

  thaw(): void {
    this.#child?.kill('SIGCONT')
  }
}

/** The pid of the Redis answering on `port`, so a server that took the port meanwhile is not mistaken for ours. */
function answeringPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let reply = ''
    const done = (pid: number | undefined) => {
      socket.destroy()
      resolve(pid)
    }
    socket.setTimeout(500)
    socket.on('connect', () => socket.write('INFO server\r\n'))
    socket.on('data', (data) => {
      reply += data.toString()
      const pid = /process_id:(\d+)\r\n/.exec(reply)?.[1]
      if (pid !== undefined) done(Number(pid))
      else if (reply.startsWith('-') || reply.length > 65_536) done(undefined)
    })
    socket.on('error', () => done(undefined))
    socket.on('timeout', () => done(undefined))
  })
}
