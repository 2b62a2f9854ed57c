import type { AttemptLimiter, JwtAuth } from '@covet/core'
import { createMemoryLimiter } from '../limiter/memory.js'
import type { LoginLimits } from './throttle.js'

/** The failed-login limiter options the token and authorization endpoints share. */
export interface LoginLimitOptions {
  limiter?: AttemptLimiter | false | undefined
  clientLimiter?: AttemptLimiter | false | undefined
  sourceKey?: ((request: Request) => string | undefined) | undefined
  sourceLimiter?: AttemptLimiter | false | undefined
}

interface Defaults {
  readonly limiter: AttemptLimiter
  readonly clientLimiter: AttemptLimiter
  readonly sourceLimiter: AttemptLimiter
}

/** Default in-memory limiters, one set per `auth`: endpoints built on one `auth` count together. */
const byAuth = new WeakMap<JwtAuth<object>, Defaults>()

function defaultsFor(auth: JwtAuth<object>): Defaults {
  let defaults = byAuth.get(auth)
  if (defaults === undefined) {
    defaults = {
      limiter: createMemoryLimiter({ limit: 10, window: '15m' }),
      clientLimiter: createMemoryLimiter({ limit: 1000, window: '15m' }),
      sourceLimiter: createMemoryLimiter({ limit: 100, window: '15m' }),
    }
    byAuth.set(auth, defaults)
  }
  return defaults
}

/**
 * The limiters an endpoint counts login attempts with: the ones given, `false` for none, and for
 * the ones omitted the in-memory defaults (10 a username, 1,000 a client, 100 a source per 15
 * minutes) shared by every endpoint created with the same `auth`, so that the password grant and
 * the login page spend one budget.
 */
export function resolveLoginLimits(auth: JwtAuth<object>, options: LoginLimitOptions): LoginLimits {
  const pick = (given: AttemptLimiter | false | undefined, fallback: () => AttemptLimiter) =>
    given === false ? undefined : (given ?? fallback())
  return {
    limiter: pick(options.limiter, () => defaultsFor(auth).limiter),
    clientLimiter: pick(options.clientLimiter, () => defaultsFor(auth).clientLimiter),
    sourceLimiter:
      options.sourceKey === undefined
        ? undefined
        : pick(options.sourceLimiter, () => defaultsFor(auth).sourceLimiter),
    sourceKey: options.sourceKey,
  }
}
