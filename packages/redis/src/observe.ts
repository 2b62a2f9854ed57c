import { InvalidArgumentError } from '@covet/core'

/** How a store operation ended, as told to the function `StoreObserver.onOperation` returned. */
export interface StoreOperationOutcome {
  /** The operation failed (Redis unreachable, too slow, or refusing): the caller got an error. */
  readonly failed: boolean
}

/** Hooks for metrics, added with `store.observe` (`@covet/otel` is one such observer). */
export interface StoreObserver {
  /**
   * A store operation that talks to Redis starts: `'revoke'`, `'markUsed'`, … or, for the failed
   * login limiter, `'limiter.consume'`, `'limiter.refund'`, `'limiter.reset'`. Return a function
   * to be told once how it ended, or `undefined`. Called synchronously; one that throws is
   * ignored. `isRevoked`, answered from memory, is not an operation here.
   */
  onOperation?(operation: string): ((outcome: StoreOperationOutcome) => void) | undefined
}

type End = (outcome: StoreOperationOutcome) => void
type AsyncMethod = (...args: never[]) => Promise<unknown>

/** The observers of one store; the list is replaced, never changed in place. */
export class StoreObservers {
  #list: readonly StoreObserver[] = []

  add(observer: StoreObserver): () => void {
    if (typeof observer !== 'object' || observer === null) {
      throw new InvalidArgumentError('An observer must be an object')
    }
    if (observer.onOperation !== undefined && typeof observer.onOperation !== 'function') {
      throw new InvalidArgumentError("An observer's onOperation must be a function")
    }
    this.#list = [...this.#list, observer]
    return () => {
      this.#list = this.#list.filter((o) => o !== observer)
    }
  }

  /** `method` as it was, told to the observers (when there are any) as `operation`. */
  wrap<M extends AsyncMethod>(operation: string, method: M): M {
    return (async (...args: never[]) => {
      if (this.#list.length === 0) return method(...args)
      const ends = this.#start(operation)
      try {
        const result = await method(...args)
        this.#end(ends, false)
        return result
      } catch (error) {
        this.#end(ends, true)
        throw error
      }
    }) as M
  }

  #start(operation: string): End[] {
    const ends: End[] = []
    for (const observer of this.#list) {
      try {
        const end = observer.onOperation?.(operation)
        if (typeof end === 'function') ends.push(end)
      } catch {
        // A failing metrics hook must not change the answer.
      }
    }
    return ends
  }

  #end(ends: readonly End[], failed: boolean): void {
    for (const end of ends) {
      try {
        end({ failed })
      } catch {
        // As above.
      }
    }
  }
}

/** The store's Redis operations, timed for its observers; `isRevoked` answers from memory and is not one. */
export function timeOperations(
  store: Record<string, unknown>,
  observers: StoreObservers,
  operations: readonly string[],
): void {
  for (const name of operations) {
    store[name] = observers.wrap(name, (store[name] as AsyncMethod).bind(store))
  }
  // The failed-login limiters it makes: each of their calls is a Redis round trip too.
  const limiter = (store.limiter as (options: unknown) => Record<string, unknown>).bind(store)
  store.limiter = (options: unknown) => {
    const made = limiter(options)
    const timed: Record<string, unknown> = {}
    for (const [name, method] of Object.entries(made)) {
      timed[name] =
        typeof method === 'function' ? observers.wrap(`limiter.${name}`, method.bind(made)) : method
    }
    return timed
  }
}
