/**
 * Key names. Revocation entries and their index share the hash tag `{rev}`, so the script that
 * writes an entry, its index member and the invalidation message in one step touches a single
 * cluster slot. Spent-token markers, rotation results and limiter counters are single keys
 * written alone: they carry no tag and spread over the cluster.
 * @see https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
 */
export type RevocationKind = 'j' | 'f' | 's'

export interface KeySpace {
  /** One revoked token, family or subject: `covet:{rev}:j:<jti>`. */
  entry(kind: RevocationKind, id: string): string
  /** Sorted set of every live entry (`<kind>:<id>`, scored by expiry in ms): the start-up snapshot. */
  readonly index: string
  /** Pub/sub channel announcing each new entry to every store sharing the Redis. */
  readonly channel: string
  used(jti: string): string
  rotation(jti: string): string
  limiter(name: string, key: string): string
}

export function keySpace(prefix: string): KeySpace {
  return {
    entry: (kind, id) => `${prefix}{rev}:${kind}:${id}`,
    index: `${prefix}{rev}:index`,
    channel: `${prefix}revocations`,
    used: (jti) => `${prefix}used:${jti}`,
    rotation: (jti) => `${prefix}rotation:${jti}`,
    limiter: (name, key) => `${prefix}limit:${name}:${key}`,
  }
}
