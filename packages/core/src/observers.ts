import { InvalidArgumentError } from './errors.js'
import type { AuthObserver, CovetEvent, TokenType, VerifyOutcome } from './types.js'

type VerifyEnd = (outcome: VerifyOutcome) => void

/**
 * The observers added with `auth.observe`. The lists are replaced, never changed in place, so an
 * event being delivered sees the list it started with. With no observer timing verifications,
 * the hot path pays for one length check.
 */
export class Observers {
  /** Observers with `onVerify`. */
  verifying: readonly AuthObserver[] = []
  /** Observers with `onEvent`. */
  listening: readonly AuthObserver[] = []

  /** Adds `observer`; returns the function that removes it (a second call does nothing). */
  add(observer: AuthObserver): () => void {
    if (typeof observer !== 'object' || observer === null) {
      throw new InvalidArgumentError('An observer must be an object')
    }
    for (const hook of ['onEvent', 'onVerify'] as const) {
      if (observer[hook] !== undefined && typeof observer[hook] !== 'function') {
        throw new InvalidArgumentError(`An observer's ${hook} must be a function`)
      }
    }
    if (observer.onVerify) this.verifying = [...this.verifying, observer]
    if (observer.onEvent) this.listening = [...this.listening, observer]
    return () => {
      this.verifying = this.verifying.filter((o) => o !== observer)
      this.listening = this.listening.filter((o) => o !== observer)
    }
  }

  emit(event: CovetEvent): void {
    for (const observer of this.listening) {
      try {
        observer.onEvent!(event)
      } catch {
        // A failing metrics hook must not change the outcome of authentication.
      }
    }
  }

  /** Tells each observer a verification starts; the functions to call when it ends, if any asked. */
  startVerify(expected: TokenType | 'any'): VerifyEnd[] | undefined {
    let ends: VerifyEnd[] | undefined
    for (const observer of this.verifying) {
      try {
        const end = observer.onVerify!(expected)
        if (typeof end !== 'function') continue
        if (ends === undefined) ends = [end]
        else ends.push(end)
      } catch {
        // As above: ignored.
      }
    }
    return ends
  }
}

/** Tells each observer that asked how the verification ended. */
export function endVerify(ends: readonly VerifyEnd[], outcome: VerifyOutcome): void {
  for (const end of ends) {
    try {
      end(outcome)
    } catch {
      // As above: ignored.
    }
  }
}
