import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose'
import { KeySetUnavailableError } from '../errors.js'
import { freshnessMs } from './cache-control.js'
import { discoverJwksUri } from './discovery.js'
import { DocumentFetchError, fetchJson } from './fetch-json.js'
import { asCachedJwks, type CachedJwks, type JwksCache } from './jwks-cache.js'

/** How a remote key set is fetched and kept. Durations in milliseconds. */
export interface JwksSettings {
  readonly timeoutMs: number
  /** Least time between two fetches for a `kid` the set lacks, or while a stale set is in use. */
  readonly cooldownMs: number
  /** `Cache-Control` is honoured within these; a response without `max-age` stays fresh `maxAgeMs`. */
  readonly minAgeMs: number
  readonly maxAgeMs: number
  /** How long past its freshness a set is still used while refetching it fails. */
  readonly maxStaleMs: number
  readonly cache: JwksCache
  readonly clock: () => number
  readonly warn: (message: string) => void
}

/** Where the set is: a configured URL, or the issuer whose metadata names it. */
export interface JwksLocation {
  /** Names the set in `jwksCache` and in warnings. */
  readonly key: string
  readonly jwksUri: URL | undefined
  /** Discovered from (OpenID Connect Discovery, then RFC 8414) when `jwksUri` is absent. */
  readonly issuer: string | undefined
}

/** A key jose verifies with. */
export type VerifyKey = Awaited<ReturnType<JWTVerifyGetKey>>

/** The key a token's header selects: at once when it is known, else a promise. */
export type KeyResolver = (header: JWSHeaderParameters) => VerifyKey | Promise<VerifyKey>

interface LoadedSet {
  readonly entry: CachedJwks
  readonly select: ReturnType<typeof createLocalJWKSet>
  /** The key each header (`alg`, `kid`) selected: the selection depends on nothing else. */
  readonly selected: Map<string, VerifyKey>
}

/** Header selections remembered per set; only headers that selected a key can add one. */
const MAX_SELECTED = 32

/**
 * A remote JSON Web Key Set, fetched once and shared by every verification (one fetch in flight,
 * however many wait for it). It is refetched when its freshness ends, and for a `kid` it lacks
 * (a key the issuer just rotated in) at most once per cooldown. While refetching fails, the last
 * set is still used for a bounded time; with none, verification fails with
 * `KeySetUnavailableError` (503), not as a bad token.
 */
export class RemoteJwks {
  readonly #location: JwksLocation
  /** How warnings name the set: never a URL's credentials, query or fragment. */
  readonly #label: string
  readonly #settings: JwksSettings
  readonly #onKeysRemoved: () => void
  #jwksUri: URL | undefined
  #current: LoadedSet | undefined
  #pending: Promise<LoadedSet> | undefined
  #triedCache = false
  #lastFetch = Number.NEGATIVE_INFINITY
  #failing = false

  constructor(location: JwksLocation, settings: JwksSettings, onKeysRemoved: () => void = () => {}) {
    this.#location = location
    this.#label = safeLabel(location.key)
    this.#settings = settings
    this.#onKeysRemoved = onKeysRemoved
    this.#jwksUri = location.jwksUri
  }

  /** `cause` in words, with every full spelling of the set's URLs replaced by its safe label. */
  #describe(cause: unknown): string {
    let text = describe(cause)
    for (const url of [this.#location.key, this.#jwksUri?.href]) {
      if (url !== undefined && url !== '') text = text.replaceAll(url, safeLabel(url))
    }
    return text
  }

  /** The key for `header`: a remembered selection of a fresh set without a promise, else the slow path. */
  readonly getKey: KeyResolver = (header) => {
    const current = this.#current
    if (current !== undefined && this.#settings.clock() < current.entry.freshUntil) {
      const known = current.selected.get(selectionOf(header))
      if (known !== undefined) return known
    }
    return this.#getKey(header)
  }

  async #getKey(header: JWSHeaderParameters): Promise<VerifyKey> {
    const current = await this.#usable()
    try {
      return await select(current, header)
    } catch (error) {
      // A kid the set lacks may be a key the issuer just rotated in: refetch, once per cooldown.
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.#mayFetch()) throw error
      const next = await this.#refresh()
      if (this.#failing) throw new KeySetUnavailableError()
      return select(next, header)
    }
  }

  /** The set to verify with: the current one while fresh, or while refetching fails (bounded) and the cooldown lasts. */
  #usable(): LoadedSet | Promise<LoadedSet> {
    const current = this.#current
    if (current !== undefined) {
      const now = this.#settings.clock()
      if (now < current.entry.freshUntil) return current
      if (now < current.entry.freshUntil + this.#settings.maxStaleMs && !this.#mayFetch()) return current
    }
    return this.#refresh()
  }

  #mayFetch(): boolean {
    return this.#settings.clock() - this.#lastFetch >= this.#settings.cooldownMs
  }

  /** One load at a time: concurrent callers share it. */
  #refresh(): Promise<LoadedSet> {
    this.#pending ??= this.#load().finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  async #load(): Promise<LoadedSet> {
    if (!this.#triedCache) {
      this.#triedCache = true
      const saved = await this.#loadSaved()
      if (saved !== undefined) {
        const set = this.#use(saved)
        if (this.#settings.clock() < saved.freshUntil) return set
      }
    }
    const settings = this.#settings
    this.#lastFetch = settings.clock()
    try {
      const jwksUri = await this.#locate()
      const { body, headers } = await this.#fetch(jwksUri)
      const fetchedAt = settings.clock()
      const age = Math.min(
        Math.max(freshnessMs(headers) ?? settings.maxAgeMs, settings.minAgeMs),
        settings.maxAgeMs,
      )
      const entry: CachedJwks = { jwksUri: jwksUri.href, jwks: body, fetchedAt, freshUntil: fetchedAt + age }
      const set = this.#use(entry)
      this.#save(entry)
      this.#failing = false
      return set
    } catch (cause) {
      if (!this.#failing) {
        this.#failing = true
        settings.warn(`the key set of ${this.#label} could not be fetched: ${this.#describe(cause)}`)
      }
      const current = this.#current
      if (current !== undefined && settings.clock() < current.entry.freshUntil + settings.maxStaleMs)
        return current
      throw new KeySetUnavailableError(undefined, { cause })
    }
  }

  async #fetch(jwksUri: URL): Promise<{ body: { keys: JWK[] }; headers: Headers }> {
    try {
      const { body, headers } = await fetchJson(jwksUri, this.#settings.timeoutMs)
      if (!Array.isArray((body as { keys?: unknown }).keys)) {
        throw new DocumentFetchError(`${jwksUri.origin}${jwksUri.pathname} is not a JWK Set`)
      }
      return { body: body as { keys: JWK[] }, headers }
    } catch (error) {
      // A discovered location that is gone is looked up again next time: the issuer may have moved it.
      const gone = error instanceof DocumentFetchError && (error.status === 404 || error.status === 410)
      if (gone && this.#location.jwksUri === undefined) this.#jwksUri = undefined
      throw error
    }
  }

  async #locate(): Promise<URL> {
    if (this.#jwksUri !== undefined) return this.#jwksUri
    const { issuer } = this.#location
    if (issuer === undefined) throw new DocumentFetchError('no jwksUri and no issuer to discover it from')
    this.#jwksUri = await discoverJwksUri(issuer, this.#settings.timeoutMs)
    return this.#jwksUri
  }

  /** Makes `entry` the current set (jose validates it); tells the owner when keys disappeared. */
  #use(entry: CachedJwks): LoadedSet {
    const set: LoadedSet = {
      entry,
      select: createLocalJWKSet(entry.jwks as JSONWebKeySet),
      selected: new Map(),
    }
    const previous = this.#current
    this.#current = set
    if (this.#location.jwksUri === undefined) this.#jwksUri = new URL(entry.jwksUri)
    if (previous !== undefined && keysRemoved(previous.entry, entry)) this.#onKeysRemoved()
    return set
  }

  async #loadSaved(): Promise<CachedJwks | undefined> {
    const { cache, clock, maxStaleMs, warn } = this.#settings
    let saved: CachedJwks | undefined
    try {
      saved = asCachedJwks(await cache.load(this.#location.key))
    } catch (cause) {
      warn(`jwksCache.load failed for ${this.#label}: ${this.#describe(cause)}`)
      return undefined
    }
    if (saved === undefined || clock() >= saved.freshUntil + maxStaleMs) return undefined
    // A set saved for another configured URL is not this one.
    if (this.#location.jwksUri !== undefined && saved.jwksUri !== this.#location.jwksUri.href)
      return undefined
    try {
      createLocalJWKSet(saved.jwks as JSONWebKeySet)
    } catch {
      return undefined
    }
    return saved
  }

  #save(entry: CachedJwks): void {
    const failed = (cause: unknown) =>
      this.#settings.warn(`jwksCache.save failed for ${this.#label}: ${this.#describe(cause)}`)
    try {
      Promise.resolve(this.#settings.cache.save(this.#location.key, entry)).catch(failed)
    } catch (cause) {
      failed(cause)
    }
  }
}

function selectionOf(header: JWSHeaderParameters): string {
  return `${header.alg} ${header.kid ?? ''}`
}

/** The key `header` selects in `set` (a compact JWS has no unprotected header to add). */
async function select(set: LoadedSet, header: JWSHeaderParameters): Promise<VerifyKey> {
  const key = await set.select(header)
  if (set.selected.size < MAX_SELECTED) set.selected.set(selectionOf(header), key)
  return key
}

/** Whether `next` lacks a key id that `previous` had: tokens verified with it may no longer be trusted. */
function keysRemoved(previous: CachedJwks, next: CachedJwks): boolean {
  const kids = new Set(next.jwks.keys.map((key) => key.kid))
  return previous.jwks.keys.some((key) => !kids.has(key.kid))
}

/** A URL as origin and path; anything else as it is. */
function safeLabel(key: string): string {
  try {
    const url = new URL(key)
    return `${url.origin}${url.pathname}`
  } catch {
    return key
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : ''
    return `${cause.message}${inner}`
  }
  return String(cause)
}
