import { ConfigError, isCovetError, type RevocationStore, StoreUnavailableError } from '@covet/core'

/** The record methods of the store codes and login sessions live in. */
export interface Records {
  put(key: string, value: string, expiresAt: number): Promise<void>
  get(key: string): Promise<string | undefined>
  swap(key: string, value: string): Promise<string | undefined>
}

/**
 * The record methods of `auth.revocation` (memory or Redis, so every server of a fleet sees the
 * same codes and sessions), with any failure that is not already a Covet error reported as
 * `StoreUnavailableError` (503). Throws `ConfigError` when the store has no record methods.
 */
export function recordsOf(store: RevocationStore, field = 'auth.revocation'): Records {
  const { putRecord, getRecord, swapRecord } = store
  if (
    typeof putRecord !== 'function' ||
    typeof getRecord !== 'function' ||
    typeof swapRecord !== 'function'
  ) {
    throw new ConfigError(
      field,
      'must implement putRecord, getRecord and swapRecord to keep authorization codes',
    )
  }
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call.apply(store, args)
      } catch (cause) {
        throw isCovetError(cause) ? cause : new StoreUnavailableError(undefined, { cause })
      }
    }
  return { put: guard(putRecord), get: guard(getRecord), swap: guard(swapRecord) }
}
