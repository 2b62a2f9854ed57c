import type { KeySet } from './key-set.js'

/**
 * When each key that verifies but no longer signs may be removed: the moment it stopped signing
 * (this rotation, or start-up for a key configured beside the signing key) plus `horizon`, the
 * longest a token it signed stays acceptable. A key already retiring keeps its date; a key that
 * signs again is no longer retiring. A set without a signing key (verification only) retires
 * nothing: its keys are another issuer's to rotate.
 *
 * @param previous kid → Unix time (seconds) from the last rotation
 * @param now Unix seconds
 * @param horizon seconds: the longest token lifetime plus the clock tolerance
 */
export function retirementTimes(
  previous: ReadonlyMap<string, number>,
  keys: KeySet | undefined,
  now: number,
  horizon: number,
): Map<string, number> {
  const times = new Map<string, number>()
  const signing = keys?.signing
  if (keys === undefined || signing === undefined) return times
  for (const key of keys.keys) {
    if (key.kid !== signing.kid) times.set(key.kid, previous.get(key.kid) ?? now + horizon)
  }
  return times
}
