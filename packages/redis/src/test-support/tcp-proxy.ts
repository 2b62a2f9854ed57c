import { once } from 'node:events'
import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy in front of a Redis server that can cut every connection and reset new ones in the
 * middle of their handshake, as a server that dies while accepting connections does. It keeps its
 * port for its whole life, so no other process can take the port during an outage.
 */
export class TcpProxy {
  readonly #pairs = new Set<[Socket, Socket]>()
  #resetsLeft = 0
  resets = 0

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined
    const server = createServer((downstream) => proxy?.accept(downstream, targetHost, targetPort))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address()
    if (typeof address !== 'object' || address === null) throw new Error('no port')
    proxy = new TcpProxy(server, address.port)
    return proxy
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Connections made from now on are reset (TCP RST) on their first bytes, `count` of them. */
  resetHandshakes(count: number): void {
    this.#resetsLeft = count
    this.resets = 0
  }

  /** Close every open connection at once, both ways, as a crashed server's kernel would. */
  dropAll(): void {
    for (const [downstream, upstream] of this.#pairs) {
      downstream.destroy()
      upstream.destroy()
    }
    this.#pairs.clear()
  }

  async close(): Promise<void> {
    this.dropAll()
    this.server.close()
    await once(this.server, 'close')
  }

  private accept(downstream: Socket, host: string, port: number): void {
    downstream.on('error', () => {})
    if (this.#resetsLeft > 0) {
      this.#resetsLeft--
      downstream.once('data', () => {
        this.resets++
        downstream.resetAndDestroy()
      })
      return
    }
    const upstream = createConnection({ host, port })
    upstream.on('error', () => downstream.destroy())
    const pair: [Socket, Socket] = [downstream, upstream]
    this.#pairs.add(pair)
    const forget = () => {
      this.#pairs.delete(pair)
      downstream.destroy()
      upstream.destroy()
    }
    downstream.on('close', forget)
    upstream.on('close', forget)
    downstream.pipe(upstream)
    upstream.pipe(downstream)
  }
}
