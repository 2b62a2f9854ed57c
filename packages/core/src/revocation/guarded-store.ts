import { CovetError, StoreUnavailableError } from '../errors.js'
import type { RevocationStore } from './store.js'

const WRITES = [
  'revoke',
  'revokeFamily',
  'revokeSubject',
  'advanceFamily',
  'countRotation',
  'markUsed',
  'saveRotation',
  'getRotation',
] as const

/** A store operation, as `store.failed` events name it. */
export type StoreOperation = Exclude<keyof RevocationStore, 'close'>

/**
 * The store as the engine uses it: any failure of a write that is not already a Covet error
 * becomes `StoreUnavailableError` (503), so a store's own exception never escapes raw.
 * `isRevoked` is passed through; the verifier maps its failures (and honours `failOpen`).
 * `onFailure` hears of every failure of the store itself (not of a refused argument).
 */
export function guardStore(
  store: RevocationStore,
  onFailure: (operation: StoreOperation) => void = () => {},
): RevocationStore {
  const guarded: RevocationStore = {
    isRevoked: (token) => {
      let answer: boolean | Promise<boolean>
      try {
        answer = store.isRevoked(token)
      } catch (cause) {
        onFailure('isRevoked')
        throw cause
      }
      // The usual answers (memory, a coherent local cache) are synchronous and pass untouched.
      if (typeof answer === 'boolean') return answer
      return answer.then(undefined, (cause: unknown) => {
        onFailure('isRevoked')
        throw cause
      })
    },
  } as RevocationStore
  for (const method of WRITES) {
    const call = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>
    ;(guarded as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      try {
        return await call(...args)
      } catch (cause) {
        if (!(cause instanceof CovetError) || cause.status >= 500) onFailure(method)
        throw cause instanceof CovetError ? cause : new StoreUnavailableError(undefined, { cause })
      }
    }
  }
  return guarded
}
