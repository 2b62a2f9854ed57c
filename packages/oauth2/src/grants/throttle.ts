import type { Attempt, AttemptLimiter } from '@covet/core'
import { OAuthError } from '../errors.js'

/** The limiter key of a username: case and Unicode variants of one name share a count. */
export function usernameKey(username: string): string {
  return `user:${username.normalize('NFKC').toLowerCase()}`
}

export function clientKey(clientId: string): string {
  return `client:${clientId}`
}

export function sourceKey(source: string): string {
  return `source:${source}`
}

/** A limiter and the key one login attempt counts under. */
export type Counter = readonly [AttemptLimiter, string]

export interface LoginCounters {
  /** Per username: at its limit the username is refused, whatever the password. */
  readonly username: Counter | undefined
  /**
   * Budgets many usernames share (the client, the source). Once one is spent, a username may make
   * only its first attempt of its window: a username with a recent failure is refused, a fresh
   * one is still checked, so failures on other usernames never refuse a right password.
   */
  readonly shared: readonly Counter[]
}

/** A login attempt counted before its password is checked. */
export interface LoginAttempt {
  /** The password was right: forget the username's failures, give the shared budgets this attempt back. */
  succeeded(): Promise<void>
}

/**
 * Counts one login attempt against every counter before the password is checked, each count
 * atomic, so no burst of concurrent attempts gets more checks than the limits allow. A wrong
 * password keeps its counts. Throws 429 with `Retry-After` (RFC 6585 §4) when the attempt may not
 * be made, after taking back what it counted.
 */
export async function beginLogin(counters: LoginCounters): Promise<LoginAttempt> {
  const taken: Counter[] = []
  try {
    let user: Attempt | undefined
    if (counters.username !== undefined) {
      user = await consume(counters.username)
      if (!user.allowed) throw tooManyAttempts(user.retryAfter)
      taken.push(counters.username)
    }
    const shared = await Promise.allSettled(counters.shared.map(consume))
    const spent: number[] = []
    let failure: { reason: unknown } | undefined
    shared.forEach((result, i) => {
      if (result.status === 'rejected') failure ??= { reason: result.reason }
      else if (result.value.allowed) taken.push(counters.shared[i]!)
      else spent.push(result.value.retryAfter)
    })
    if (failure !== undefined) throw failure.reason
    // A spent shared budget admits a username's first attempt of its window only; without a
    // per-username count there is no telling, so nothing is admitted.
    if (spent.length > 0 && (user === undefined || user.count > 1)) {
      const wait = Math.max(...spent)
      throw tooManyAttempts(user === undefined ? wait : Math.min(wait, user.retryAfter))
    }
  } catch (error) {
    await Promise.allSettled(taken.map(([limiter, key]) => limiter.refund(key)))
    throw error
  }
  return {
    async succeeded() {
      // The username's owner proved it: its failures go. A shared budget only gets this attempt
      // back: one success must not wipe the failures counted for other usernames.
      await Promise.all(
        taken.map((counter) =>
          counter === counters.username ? counter[0].reset(counter[1]) : counter[0].refund(counter[1]),
        ),
      )
    },
  }
}

function consume([limiter, key]: Counter): Promise<Attempt> {
  return limiter.consume(key)
}

function tooManyAttempts(seconds: number): OAuthError {
  return new OAuthError('temporarily_unavailable', 'Too many failed attempts; retry later', 429, {
    'retry-after': String(Math.max(1, Math.ceil(seconds))),
  })
}

/** The failed-login limiters an endpoint counts with; `undefined` where throttling is off. */
export interface LoginLimits {
  /** Per username. */
  readonly limiter: AttemptLimiter | undefined
  /** Per client. */
  readonly clientLimiter: AttemptLimiter | undefined
  /** Per source; `undefined` when the host names no source or throttling is off. */
  readonly sourceLimiter: AttemptLimiter | undefined
  /** The host's name for where a request comes from (an address), if it gives one. */
  readonly sourceKey: ((request: Request) => string | undefined) | undefined
}

/**
 * Counts one login attempt of `username` through `clientId` per username, per client and per
 * source (see `beginLogin`), before its password is checked. The password grant and the
 * authorization endpoint's login page both count through this, so they share one budget.
 */
export function countLoginAttempt(
  limits: LoginLimits,
  clientId: string,
  username: string,
  /** Where the attempt comes from; a programmatic flow has no request, and so no source. */
  request: Request | undefined,
): Promise<LoginAttempt> {
  const source =
    limits.sourceLimiter === undefined || request === undefined ? undefined : limits.sourceKey?.(request)
  const shared: Counter[] = []
  if (limits.clientLimiter) shared.push([limits.clientLimiter, clientKey(clientId)])
  if (limits.sourceLimiter && typeof source === 'string' && source !== '') {
    shared.push([limits.sourceLimiter, sourceKey(source)])
  }
  return beginLogin({
    username: limits.limiter ? [limits.limiter, usernameKey(username)] : undefined,
    shared,
  })
}
