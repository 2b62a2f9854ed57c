import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createConnection, createServer } from 'node:net'

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

/** A private `redis-server` child for tests that stop, freeze or restart Redis. */
export class RedisServer {
  #child: ChildProcess | undefined

  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
  ) {}

  static async start(args: readonly string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), args)
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
