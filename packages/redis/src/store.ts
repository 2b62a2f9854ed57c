import type { AttemptLimiter, RevocationStore, TokenRef } from '@covet/core'
import { InvalidArgumentError, StoreUnavailableError } from '@covet/core'
import { createClient } from 'redis'
import { Coherence } from './coherence.js'
import { checkEvictionPolicy } from './eviction.js'
import { type KeySpace, keySpace, type RevocationKind } from './keys.js'
import { deadline, unavailable } from './lib/deadline.js'
import { createLimiter, type RedisLimiterOptions } from './limiter.js'
import { loadSnapshot } from './load.js'
import { type MirrorEntry, parseMessage, RevocationMirror } from './mirror.js'
import { type StoreObserver, StoreObservers, timeOperations } from './observe.js'
import { type RedisClient, type RedisStoreOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { checkPersistence } from './persistence.js'
import { SWAP_RECORD } from './records.js'
import { ADVANCE_FAMILY, COUNT_ROTATION, decodeRotation, encodeRotation } from './rotation.js'
import { REVOKE, runScript, type Script } from './scripts.js'

/** How often expired entries leave the local cache. */
const SWEEP_INTERVAL_MS = 60_000

/** A `RevocationStore` shared through Redis, answering `isRevoked` from a coherent local cache. */
export interface RedisStore extends RevocationStore {
  /** Synchronous while the cache is coherent; rejects with `StoreUnavailableError` otherwise. */
  isRevoked(token: TokenRef): boolean | Promise<boolean>
  /** Short-lived records (authorization codes, login sessions), shared by every server. */
  putRecord(key: string, value: string, expiresAt: number): Promise<void>
  getRecord(key: string): Promise<string | undefined>
  /** Atomic (one Lua script): concurrent swaps on any server each see what the one before wrote. */
  swapRecord(key: string, value: string): Promise<string | undefined>
  /** A failure counter shared by every server (failed logins), for `@covet/oauth2`. */
  limiter(options: RedisLimiterOptions): AttemptLimiter
  /** Whether the local cache is coherent with Redis right now (`isRevoked` answers from memory). */
  readonly coherent: boolean
  /** Revocations held in the local cache (tokens, families, subjects): the live revocations in Redis. */
  readonly size: number
  /**
   * Adds hooks for metrics (see `@covet/otel`): each Redis operation's start and outcome.
   * Returns the function that removes them.
   */
  observe(observer: StoreObserver): () => void
  close(): Promise<void>
}

/** The operations that talk to Redis, timed for observers (`limiter`'s are timed as `limiter.*`). */
const OPERATIONS = [
  'revoke',
  'revokeFamily',
  'revokeSubject',
  'advanceFamily',
  'countRotation',
  'markUsed',
  'saveRotation',
  'getRotation',
  'putRecord',
  'getRecord',
  'swapRecord',
] as const

/**
 * Connect to Redis, subscribe to the invalidation channel, load every live revocation into
 * memory and resolve the store. Rejects with `StoreUnavailableError` when Redis cannot be reached
 * within `connectTimeout`, and with `ConfigError` on invalid options.
 *
 * @example
 * const revocation = await createRedisStore({ url: process.env.REDIS_URL, prefix: 'myapp:' })
 * const auth = await createJwtAuth({ keys, revocation })
 * @see https://redis.io/docs/latest/develop/interact/pubsub/
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const o = resolveOptions(options)
  const store = new RedisRevocationStore(o)
  await store.open()
  return store
}

function backoff(maxMs: number) {
  return (retries: number) =>
    Math.min(50 * 2 ** Math.min(retries, 10), maxMs) + Math.floor(Math.random() * 50)
}

class RedisRevocationStore implements RedisStore {
  readonly #o: ResolvedOptions
  readonly #keys: KeySpace
  readonly #mirror = new RevocationMirror()
  readonly #command: RedisClient
  readonly #subscriber: RedisClient
  readonly #ownsCommand: boolean
  readonly #coherence: Coherence
  readonly #observers = new StoreObservers()
  #sweep: ReturnType<typeof setInterval> | undefined
  #closed = false

  constructor(o: ResolvedOptions) {
    this.#o = o
    this.#keys = keySpace(o.prefix)
    const reconnectStrategy = backoff(o.maxReconnectDelayMs)
    this.#ownsCommand = o.client === undefined
    this.#command =
      o.client ??
      (createClient({
        url: o.url,
        // Fail at once while disconnected rather than queue: the caller answers 503 now.
        disableOfflineQueue: true,
        socket: { connectTimeout: o.connectTimeoutMs, reconnectStrategy },
      }) as RedisClient)
    // RESP3 lets the subscribed connection answer the heartbeat's PING like any command.
    this.#subscriber = this.#command.duplicate({
      RESP: 3,
      disableOfflineQueue: true,
      socket: { ...this.#command.options?.socket, connectTimeout: o.connectTimeoutMs, reconnectStrategy },
    })
    this.#coherence = new Coherence(this.#command, this.#subscriber, {
      commandTimeoutMs: o.commandTimeoutMs,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      rebuild: async () => {
        await this.#load()
      },
    })
    timeOperations(this as unknown as Record<string, unknown>, this.#observers, OPERATIONS)
  }

  get coherent(): boolean {
    return this.#coherence.trusted
  }

  get size(): number {
    return this.#mirror.size
  }

  observe(observer: StoreObserver): () => void {
    return this.#observers.add(observer)
  }

  async open(): Promise<void> {
    try {
      await deadline(
        (async () => {
          await Promise.all([
            this.#command.isOpen ? undefined : this.#command.connect(),
            this.#subscriber.connect(),
          ])
          // Subscribe before reading the snapshot, so no revocation falls between the two.
          await this.#subscriber.subscribe(this.#keys.channel, (message: string) => this.#onMessage(message))
        })(),
        this.#o.connectTimeoutMs,
      )
      // Settings under which Redis could lose a revocation: eviction, or no persistence across a restart.
      await deadline(
        Promise.all([
          checkEvictionPolicy(this.#command, this.#o.warn),
          checkPersistence(this.#command, this.#o.warn),
        ]),
        this.#o.commandTimeoutMs,
      )
      await this.#load()
    } catch (error) {
      await this.close()
      throw unavailable(error)
    }
    this.#coherence.start()
    this.#sweep = setInterval(() => this.#mirror.sweep(this.#o.clock()), SWEEP_INTERVAL_MS)
    this.#sweep.unref?.()
  }

  isRevoked(token: TokenRef): boolean | Promise<boolean> {
    // Fail closed: without a coherent cache a revoked token could pass.
    if (!this.#coherence.trusted) return Promise.reject(this.#unavailable())
    if (this.#mirror.isRevoked(token, this.#o.clock())) return true
    const { fid, generation } = token
    if (fid === undefined || generation === undefined) return false
    // A refresh token (rare: refresh, revocation, introspection) asks Redis for its family's generation.
    return this.#familyGeneration(fid).then((current) => generation < current)
  }

  revoke(jti: string, expiresAt: number): Promise<void> {
    return this.#revoke('j', jti, expiresAt, '1')
  }

  revokeFamily(fid: string, expiresAt: number): Promise<void> {
    return this.#revoke('f', fid, expiresAt, '1')
  }

  revokeSubject(subject: string, issuedBefore: number, expiresAt: number): Promise<void> {
    if (!Number.isFinite(issuedBefore)) {
      return Promise.reject(new InvalidArgumentError('issuedBefore must be a number of seconds'))
    }
    return this.#revoke('s', subject, expiresAt, String(Math.floor(issuedBefore)))
  }

  async markUsed(jti: string, expiresAt: number): Promise<boolean> {
    checkId('jti', jti)
    const at = Math.max(this.#expiry(expiresAt), this.#o.clock() + 1000)
    // SET NX is atomic: of any number of concurrent callers on any server, one gets OK.
    const reply = await this.#call(['SET', this.#keys.used(jti), '1', 'NX', 'PXAT', String(at)])
    return reply === 'OK'
  }

  async advanceFamily(fid: string, from: number, expiresAt: number): Promise<boolean> {
    checkId('fid', fid)
    checkGeneration(from)
    const at = Math.max(this.#expiry(expiresAt), this.#o.clock() + 1000)
    // One script: of any number of concurrent callers on any server, one moves the family on.
    const reply = await this.#run(ADVANCE_FAMILY, [this.#keys.family(fid)], [String(from), String(at)])
    return Number(reply) === 1
  }

  async countRotation(subject: string, limit: number, windowSeconds: number): Promise<number> {
    checkId('subject', subject)
    const windowMs = Math.ceil(windowSeconds * 1000)
    if (!(windowMs > 0)) throw new InvalidArgumentError('windowSeconds must be positive')
    const reply = await this.#run(COUNT_ROTATION, [this.#keys.rotations(subject)], [String(windowMs)])
    const [count, ttl] = (reply as [number, number]).map(Number) as [number, number]
    return count <= limit ? 0 : Math.max(1, Math.ceil(ttl / 1000))
  }

  async saveRotation(fid: string, from: number, result: string, ttlSeconds: number): Promise<void> {
    checkId('fid', fid)
    checkGeneration(from)
    if (typeof result !== 'string') throw new InvalidArgumentError('result must be a string')
    const ms = Math.ceil(ttlSeconds * 1000)
    if (!(ms > 0)) return
    await this.#call(['SET', this.#keys.rotation(fid), encodeRotation(from, result), 'PX', String(ms)])
  }

  async getRotation(fid: string, from: number): Promise<string | undefined> {
    checkId('fid', fid)
    checkGeneration(from)
    return decodeRotation(await this.#call(['GET', this.#keys.rotation(fid)]), from)
  }

  async putRecord(key: string, value: string, expiresAt: number): Promise<void> {
    checkId('key', key)
    if (typeof value !== 'string') throw new InvalidArgumentError('value must be a string')
    if (!Number.isFinite(expiresAt)) throw new InvalidArgumentError('expiresAt must be a number of seconds')
    const at = Math.ceil(expiresAt * 1000)
    // A record is no revocation: it keeps no margin past its expiry, and one already past is not written.
    if (at <= this.#o.clock()) return
    await this.#call(['SET', this.#keys.record(key), value, 'PXAT', String(at)])
  }

  async getRecord(key: string): Promise<string | undefined> {
    checkId('key', key)
    const reply = await this.#call(['GET', this.#keys.record(key)])
    return typeof reply === 'string' ? reply : undefined
  }

  async swapRecord(key: string, value: string): Promise<string | undefined> {
    checkId('key', key)
    if (typeof value !== 'string') throw new InvalidArgumentError('value must be a string')
    // One script: concurrent swaps on any server each see the value the one before wrote.
    const reply = await this.#run(SWAP_RECORD, [this.#keys.record(key)], [value])
    return typeof reply === 'string' ? reply : undefined
  }

  limiter(options: RedisLimiterOptions): AttemptLimiter {
    return createLimiter(
      options,
      this.#keys,
      (script, keys, args) => this.#run(script, keys, args),
      (key) => this.#call(['DEL', key]),
    )
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#coherence.stop()
    clearInterval(this.#sweep)
    this.#mirror.clear()
    const clients = this.#ownsCommand ? [this.#subscriber, this.#command] : [this.#subscriber]
    await Promise.all(clients.map((client) => shut(client, this.#o.commandTimeoutMs)))
  }

  async #revoke(kind: RevocationKind, id: string, expiresAt: number, value: string): Promise<void> {
    checkId(kind === 's' ? 'subject' : kind === 'f' ? 'fid' : 'jti', id)
    const at = this.#expiry(expiresAt)
    // Past its expiry (and the retention margin) the token is refused anyway: nothing to keep.
    if (at <= this.#o.clock()) return
    const member = `${kind}:${id}`
    await this.#run(
      REVOKE,
      [this.#keys.entry(kind, id), this.#keys.index],
      [member, value, String(at), this.#keys.channel],
    )
    // Seen here at once, without waiting for our own message to come back.
    this.#mirror.add({ kind, id, expiresAtMs: at, issuedBefore: kind === 's' ? Number(value) : undefined })
  }

  async #familyGeneration(fid: string): Promise<number> {
    const reply = await this.#call(['GET', this.#keys.family(fid)])
    // No record: the family never rotated, or every token of it has expired.
    return reply === null || reply === undefined ? 0 : Number(reply)
  }

  #expiry(expiresAt: number): number {
    if (!Number.isFinite(expiresAt)) throw new InvalidArgumentError('expiresAt must be a number of seconds')
    return Math.ceil(expiresAt * 1000) + this.#o.retainMs
  }

  #onMessage(message: string): void {
    const entry = parseMessage(message)
    if (entry) this.#mirror.add(entry)
  }

  #load(): Promise<number> {
    const send = (args: string[]) => deadline(this.#command.sendCommand(args), this.#o.commandTimeoutMs)
    return loadSnapshot(send, this.#keys, this.#o.clock(), (entry: MirrorEntry) => this.#mirror.add(entry))
  }

  /**
   * Refuse at once while disconnected. A caller's client may queue commands offline; a queued
   * `advanceFamily` that timed out here and ran later would make the client's retry look like reuse.
   */
  #checkOpen(): void {
    if (this.#closed || !this.#command.isReady) throw this.#unavailable()
  }

  #unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(
      this.#closed ? 'The revocation store is closed' : 'The revocation store is unavailable',
    )
  }

  async #call(args: string[]): Promise<unknown> {
    this.#checkOpen()
    try {
      return await deadline(this.#command.sendCommand(args), this.#o.commandTimeoutMs)
    } catch (error) {
      throw unavailable(error)
    }
  }

  async #run(script: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    this.#checkOpen()
    try {
      return await deadline(runScript(this.#command, script, keys, args), this.#o.commandTimeoutMs)
    } catch (error) {
      throw unavailable(error)
    }
  }
}

function checkGeneration(generation: unknown): asserts generation is number {
  if (!Number.isSafeInteger(generation) || (generation as number) < 0) {
    throw new InvalidArgumentError('generation must be a non-negative integer')
  }
}

function checkId(name: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 1024) {
    throw new InvalidArgumentError(`${name} must be a non-empty string of at most 1024 characters`)
  }
}

/**
 * Close a connection without waiting on a server that stopped answering. Replies come in order,
 * so once a PING is answered nothing sent before it is still pending and dropping the socket
 * loses no reply; a graceful `close()` instead waits, without limit, for every queued reply.
 */
async function shut(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.isReady) await deadline(client.sendCommand(['PING']), timeoutMs).catch(() => {})
  try {
    if (client.isOpen) client.destroy()
  } catch {
    // Already closed.
  }
}
