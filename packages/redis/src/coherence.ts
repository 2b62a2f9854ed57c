import { deadline } from './lib/deadline.js'
import type { RedisClient } from './options.js'

export interface CoherenceOptions {
  commandTimeoutMs: number
  heartbeatIntervalMs: number
  /** Re-read the snapshot into the local cache (the subscription is already in place); each command has a deadline. */
  rebuild: () => Promise<void>
}

/**
 * Decides whether the local cache may answer. It may only while both connections are up, the
 * invalidation connection answers its heartbeat, and a snapshot was read after the channel
 * subscription was last (re)established: a message sent while the connection was down is lost,
 * so every reconnection is followed by a rebuild before the cache is trusted again.
 */
export class Coherence {
  #trusted = false
  #epoch = 0
  #rebuilding = false
  #rebuildAgain = false
  #started = false
  #closed = false
  #heartbeat: ReturnType<typeof setInterval> | undefined
  readonly #listeners: [RedisClient, string, (...args: unknown[]) => void][] = []

  constructor(
    private readonly command: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly options: CoherenceOptions,
  ) {
    for (const client of [command, subscriber]) {
      this.#listen(client, 'error', () => this.#lose())
      this.#listen(client, 'reconnecting', () => this.#lose())
      this.#listen(client, 'end', () => this.#lose())
      // node-redis emits `ready` after it has re-subscribed the channels, so a rebuild now is safe.
      this.#listen(client, 'ready', () => this.#rebuild())
    }
  }

  get trusted(): boolean {
    return this.#trusted
  }

  /** Called once the first snapshot is loaded: trust the cache and start the heartbeat. */
  start(): void {
    this.#started = true
    this.#trusted = this.#connected()
    this.#heartbeat = setInterval(() => this.#beat(), this.options.heartbeatIntervalMs)
    this.#heartbeat.unref?.()
  }

  stop(): void {
    this.#closed = true
    this.#trusted = false
    clearInterval(this.#heartbeat)
    // The 'error' listeners stay, as no-ops: a client's error emitted with no listener is thrown, so
    // a connection reset while the store closes would crash the process.
    for (const [client, event, listener] of this.#listeners) {
      if (event !== 'error') client.off(event, listener)
    }
  }

  #listen(client: RedisClient, event: string, listener: (...args: unknown[]) => void): void {
    client.on(event, listener)
    this.#listeners.push([client, event, listener])
  }

  #connected(): boolean {
    return this.command.isReady && this.subscriber.isReady
  }

  #lose(): void {
    this.#epoch++
    this.#trusted = false
  }

  #rebuild(): void {
    if (!this.#started || this.#closed) return
    if (this.#rebuilding) {
      this.#rebuildAgain = true
      return
    }
    this.#rebuilding = true
    const epoch = this.#epoch
    this.options
      .rebuild()
      .then(
        () => {
          if (epoch === this.#epoch && !this.#closed && this.#connected()) this.#trusted = true
        },
        // Nothing to report: the cache stays untrusted and the next heartbeat tries again.
        () => {},
      )
      .finally(() => {
        this.#rebuilding = false
        if (this.#rebuildAgain) {
          this.#rebuildAgain = false
          this.#rebuild()
        }
      })
  }

  /** A connection can stay open while the server stopped answering: ping it with a deadline. */
  #beat(): void {
    if (this.#closed || !this.subscriber.isReady) return
    const epoch = this.#epoch
    deadline(this.subscriber.sendCommand(['PING']), this.options.commandTimeoutMs).then(
      () => {
        if (!this.#trusted && !this.#rebuilding && epoch === this.#epoch) this.#rebuild()
      },
      () => this.#lose(),
    )
  }
}
