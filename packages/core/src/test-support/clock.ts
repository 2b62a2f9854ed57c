/** A clock that only moves when told to: `now()` is what `createJwtAuth({ clock })` reads (ms). */
export interface FrozenClock {
  readonly now: () => number
  /** Current time in Unix seconds. */
  readonly seconds: number
  advance(seconds: number): void
  set(seconds: number): void
}

/** 2027-01-15T08:00:00Z: a whole second, so jose's floor and Covet's arithmetic agree. */
export const EPOCH = 1_800_000_000

export function frozenClock(startSeconds = EPOCH): FrozenClock {
  let current = startSeconds
  return {
    now: () => current * 1000,
    get seconds() {
      return current
    },
    advance(seconds) {
      current += seconds
    },
    set(seconds) {
      current = seconds
    },
  }
}
