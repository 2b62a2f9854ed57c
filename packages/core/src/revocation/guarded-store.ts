import { CovetError, StoreUnavailableError } from '../errors.js'
import type { RevocationStore } from './store.js'

const WRITES = ['revoke', 'revokeFamily', 'revokeSubject', 'markUsed', 'saveRotation', 'getRotation'] as const

/**
 * The store as the engine uses it: any failure of a write that is not already a Covet error
 * becomes `StoreUnavailableError` (503), so a store's own exception never escapes raw.
 * `isRevoked` is passed through; the verifier maps its failures (and honours `failOpen`).
 */
export function guardStore(store: RevocationStore): RevocationStore {
  const guarded: RevocationStore = {
    isRevoked: (token) => store.isRevoked(token),
  } as RevocationStore
  for (const method of WRITES) {
    const call = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>
    ;(guarded as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      try {
        return await call(...args)
      } catch (cause) {
        throw cause instanceof CovetError ? cause : new StoreUnavailableError(undefined, { cause })
      }
    }
  }
  return guarded
}
