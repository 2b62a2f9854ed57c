import { StoreUnavailableError, TokenRevokedError } from '../errors.js'
import type { RevocationStore, TokenRef } from '../revocation/store.js'

/**
 * The revocation step of verification: asks the store whether a token is revoked. Store outages
 * fail closed (`StoreUnavailableError`, 503) unless `failOpen`.
 */
export class RevocationCheck {
  readonly #store: RevocationStore
  readonly #failOpen: boolean

  constructor(store: RevocationStore, failOpen: boolean) {
    this.#store = store
    this.#failOpen = failOpen
  }

  /**
   * Throws `TokenRevokedError` at once when the store answers synchronously that `ref` is revoked
   * (the in-memory store, a store's local cache) and returns `undefined` when it is not: no
   * promise, so the caller awaits only when the store is asynchronous.
   */
  check(ref: TokenRef): Promise<void> | undefined {
    let answer: boolean | Promise<boolean>
    try {
      answer = this.#store.isRevoked(ref)
    } catch (cause) {
      return this.#storeFailure(cause)
    }
    if (answer === false) return undefined
    if (answer === true) throw new TokenRevokedError()
    return Promise.resolve(answer).then(
      (revoked) => {
        if (revoked) throw new TokenRevokedError()
      },
      (cause: unknown) => this.#storeFailure(cause),
    )
  }

  /** `check` as a promise, rejected with `TokenRevokedError` when the store says so. */
  async checkAsync(ref: TokenRef): Promise<void> {
    await this.check(ref)
  }

  #storeFailure(cause: unknown): undefined {
    if (this.#failOpen) return undefined
    throw cause instanceof StoreUnavailableError ? cause : new StoreUnavailableError(undefined, { cause })
  }
}
