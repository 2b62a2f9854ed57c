import { InvalidArgumentError } from '@covet/core'
import type { GrantType } from '../clients/types.js'
import type { OAuthErrorCode } from '../errors.js'

/** How a token request ended, as told to the function `TokenEndpointObserver.onRequest` returned. */
export interface TokenRequestOutcome {
  /** The requested grant, once known to be one the endpoint supports; `undefined` before. */
  readonly grantType: GrantType | undefined
  /**
   * The client's id once it authenticated; `undefined` before, so an unauthenticated caller never
   * chooses a value (a metric attribute stays within the registered clients).
   */
  readonly clientId: string | undefined
  /** The HTTP status of the answer. */
  readonly status: number
  /** The RFC 6749 §5.2 `error` of a refusal; `undefined` on success. */
  readonly error: OAuthErrorCode | undefined
}

/** Hooks for metrics and tracing, added with `token.observe` (`@covet/otel` is one such observer). */
export interface TokenEndpointObserver {
  /**
   * A token request starts, in the caller's context (where a tracer finds the parent span).
   * Return a function to be told once how it ended, or `undefined` to leave it untimed. Called
   * synchronously; one that throws is ignored.
   */
  onRequest?(): ((outcome: TokenRequestOutcome) => void) | undefined
}

/** The token endpoint: a Fetch handler that can also be observed. */
export interface TokenEndpoint {
  (request: Request): Promise<Response>
  /** Adds an observer; returns the function that removes it. */
  observe(observer: TokenEndpointObserver): () => void
}

type End = (outcome: TokenRequestOutcome) => void

/** The observers of one endpoint; the list is replaced, never changed in place. */
export class RequestObservers {
  #list: readonly TokenEndpointObserver[] = []

  add(observer: TokenEndpointObserver): () => void {
    if (typeof observer !== 'object' || observer === null) {
      throw new InvalidArgumentError('An observer must be an object')
    }
    if (observer.onRequest !== undefined && typeof observer.onRequest !== 'function') {
      throw new InvalidArgumentError("An observer's onRequest must be a function")
    }
    this.#list = [...this.#list, observer]
    return () => {
      this.#list = this.#list.filter((o) => o !== observer)
    }
  }

  /** The functions to call when the request ends; `undefined` when no observer asked. */
  start(): End[] | undefined {
    let ends: End[] | undefined
    for (const observer of this.#list) {
      try {
        const end = observer.onRequest?.()
        if (typeof end !== 'function') continue
        if (ends === undefined) ends = [end]
        else ends.push(end)
      } catch {
        // A failing metrics hook must not change the answer.
      }
    }
    return ends
  }

  end(ends: readonly End[], outcome: TokenRequestOutcome): void {
    for (const end of ends) {
      try {
        end(outcome)
      } catch {
        // As above.
      }
    }
  }
}
