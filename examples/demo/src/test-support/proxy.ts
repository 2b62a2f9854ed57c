import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP relay to Redis that the test can cut and restore on the same port, to play an outage
 * without stopping the shared server.
 */
export interface Relay {
  readonly port: number
  /** Close the listener and every relayed connection. */
  cut(): Promise<void>
  /** Listen again on the same port. */
  restore(): Promise<void>
}

export async function startRelay(target: { host: string; port: number }, port = 0): Promise<Relay> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let bound = port
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('close', () => sockets.delete(socket))
          socket.on('error', () => {
            client.destroy()
            upstream.destroy()
          })
        }
        client.pipe(upstream).pipe(client)
      })
      server.once('error', reject)
      server.listen(bound, '127.0.0.1', () => {
        bound = (server!.address() as { port: number }).port
        resolve()
      })
    })
  await listen()
  return {
    get port() {
      return bound
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    },
    restore: listen,
  }
}
