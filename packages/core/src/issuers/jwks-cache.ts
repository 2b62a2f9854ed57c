import type { JWK } from 'jose'

/** A fetched JWK Set, as `jwksCache` stores it. Times are milliseconds since the epoch. */
export interface CachedJwks {
  /** Where the set was fetched from (the configured `jwksUri`, or the one discovery found). */
  readonly jwksUri: string
  /** The JWK Set as the issuer published it (public keys only). */
  readonly jwks: { readonly keys: readonly JWK[] }
  readonly fetchedAt: number
  /** Until when the set is fresh: `Cache-Control` within `jwks.cacheMinAge` and `jwks.cacheMaxAge`. */
  readonly freshUntil: number
}

/**
 * Where fetched JWK Sets are kept between processes, so a serverless or edge deployment verifies
 * its first requests after a cold start without fetching: `load` is asked once per issuer before
 * the first fetch, `save` after every fetch. `key` is the issuer identifier (the set's URL for
 * the `jwksUri` option). The store must be trusted: whoever can write to it chooses the keys
 * tokens are verified with. A failing `load` or `save` is reported through `warn` and otherwise
 * ignored.
 *
 * @example
 * // Redis (node-redis): entries outlive their freshness by an hour, for use while a refetch fails.
 * const jwksCache = {
 *   load: async (key) => JSON.parse((await redis.get(`jwks:${key}`)) ?? 'null') ?? undefined,
 *   save: (key, entry) => redis.set(`jwks:${key}`, JSON.stringify(entry), { PXAT: entry.freshUntil + 3_600_000 }),
 * }
 */
export interface JwksCache {
  load(key: string): CachedJwks | undefined | Promise<CachedJwks | undefined>
  save(key: string, entry: CachedJwks): void | Promise<void>
}

/**
 * The default `jwksCache`: a map in memory. Each `createJwtAuth` gets its own unless one is
 * shared between instances of a process.
 *
 * @example
 * const jwksCache = new MemoryJwksCache()
 * const [a, b] = await Promise.all([createJwtAuth({ issuers, jwksCache }), createJwtAuth({ issuers, jwksCache })])
 */
export class MemoryJwksCache implements JwksCache {
  readonly #entries = new Map<string, CachedJwks>()

  load(key: string): CachedJwks | undefined {
    return this.#entries.get(key)
  }

  save(key: string, entry: CachedJwks): void {
    this.#entries.set(key, entry)
  }
}

/** `value` if it has the shape of a `CachedJwks`, else `undefined` (a store may hold anything). */
export function asCachedJwks(value: unknown): CachedJwks | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const entry = value as Partial<Record<keyof CachedJwks, unknown>>
  const jwks = entry.jwks as { keys?: unknown } | undefined
  if (
    typeof entry.jwksUri !== 'string' ||
    typeof jwks !== 'object' ||
    jwks === null ||
    !Array.isArray(jwks.keys) ||
    !Number.isFinite(entry.fetchedAt) ||
    !Number.isFinite(entry.freshUntil)
  ) {
    return undefined
  }
  return value as CachedJwks
}
