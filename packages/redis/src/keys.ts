/**
 * Key names. Revocation entries and their index share the hash tag `{rev}`, so the script that
 * writes an entry, its index member and the invalidation message in one step touches a single
 * cluster slot. Family generations, rotation counts and results, one-time markers, limiter
 * counters and records are single keys written alone: they carry no tag and spread over the cluster.
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
  /** A refresh family's current generation: `covet:family:<fid>`. */
  family(fid: string): string
  /** A family's last rotation result, for the grace window: `covet:rotation:<fid>`. */
  rotation(fid: string): string
  /** A subject's rotation count in the current window: `covet:rotations:<subject>`. */
  rotations(subject: string): string
  limiter(name: string, key: string): string
  /** A short-lived record (an authorization code, a login session): `covet:record:<key>`. */
  record(key: string): string
}

export function keySpace(prefix: string): KeySpace {
  return {
    entry: (kind, id) => `${prefix}{rev}:${kind}:${id}`,
    index: `${prefix}{rev}:index`,
    channel: `${prefix}revocations`,
    used: (jti) => `${prefix}used:${jti}`,
    family: (fid) => `${prefix}family:${fid}`,
    rotation: (fid) => `${prefix}rotation:${fid}`,
    rotations: (subject) => `${prefix}rotations:${subject}`,
    limiter: (name, key) => `${prefix}limit:${name}:${key}`,
    record: (key) => `${prefix}record:${key}`,
  }
}
