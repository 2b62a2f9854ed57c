import type { AttemptLimiter } from '@covet/core'
import { OAuthError } from '../errors.js'

/** The limiter key of a username: case and Unicode variants of one name share a count. */
export function usernameKey(username: string): string {
  return `user:${username.normalize('NFKC').toLowerCase()}`
}

export function clientKey(clientId: string): string {
  return `client:${clientId}`
}

/** Throws 429 with `Retry-After` (RFC 6585 §4) while either key is locked out. */
export async function assertNotThrottled(
  checks: ReadonlyArray<readonly [AttemptLimiter | undefined, string]>,
): Promise<void> {
  const waits = await Promise.all(checks.map(([limiter, key]) => limiter?.retryAfter(key) ?? 0))
  const wait = Math.max(0, ...waits)
  if (wait > 0) {
    throw new OAuthError('temporarily_unavailable', 'Too many failed attempts; retry later', 429, {
      'retry-after': String(Math.ceil(wait)),
    })
  }
}

/** Counts one failure against every key. */
export async function countFailure(
  checks: ReadonlyArray<readonly [AttemptLimiter | undefined, string]>,
): Promise<void> {
  await Promise.all(checks.map(([limiter, key]) => limiter?.fail(key)))
}
