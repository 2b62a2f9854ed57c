import { configGet } from './lib/config-get.js'
import type { RedisClient } from './options.js'

/** What Redis writes to disk, as `CONFIG GET` reports it. */
export interface Persistence {
  /** `appendonly`: whether every write goes to the append-only file. */
  readonly appendonly: string
  /** `save`: the RDB snapshot points (`"3600 1 300 100"`), `""` for none. */
  readonly save: string
}

/**
 * Warn when Redis would forget revocations on a restart. Without persistence a restart empties
 * the revocation state: servers already running keep refusing revoked tokens from their local
 * copy, but a server started afterwards accepts them. RDB snapshots alone lose what was written
 * since the last one; only the append-only file (`appendonly yes`) keeps every revocation. A
 * server that refuses CONFIG (managed services) tells nothing, and nothing is reported.
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/
 */
export async function checkPersistence(
  client: RedisClient,
  warn: (message: string) => void,
): Promise<Persistence | undefined> {
  let appendonly: string | undefined
  let save: string | undefined
  try {
    ;[appendonly, save] = await Promise.all([configGet(client, 'appendonly'), configGet(client, 'save')])
  } catch {
    return undefined
  }
  if (appendonly === undefined || save === undefined) return undefined
  if (appendonly !== 'yes') {
    warn(
      save.trim() === ''
        ? '@covet/redis: Redis persistence is off (appendonly no, no save points): a Redis restart ' +
            'forgets every revocation, and servers started afterwards accept revoked tokens. Set appendonly yes.'
        : `@covet/redis: Redis persists only RDB snapshots (save "${save}"), no append-only file: a ` +
            'Redis crash forgets the revocations made since the last snapshot. Set appendonly yes.',
    )
  }
  return { appendonly, save }
}
