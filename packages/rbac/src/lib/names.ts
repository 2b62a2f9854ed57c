import { isScopeToken } from '@covet/core'

// Role, permission and scope names end up in the challenge's `scope` attribute, so each must be
// an RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`.

/** Keys a plain object cannot hold as its own data without surprises; refused as role names. */
const RESERVED = new Set(['__proto__', 'prototype', 'constructor'])

/** Why `name` is not a usable role name, or `undefined` when it is. */
export function roleNameProblem(name: string): string | undefined {
  if (!isScopeToken(name)) return 'must be printable ASCII without spaces, quotes or backslashes'
  if (RESERVED.has(name)) return 'is reserved'
  return undefined
}

/**
 * Why `name` is not a usable permission, or `undefined` when it is. A `*` may only stand alone
 * (everything) or as the last segment after a `:` (`posts:*`, everything under `posts:`).
 */
export function permissionNameProblem(name: string): string | undefined {
  if (!isScopeToken(name)) return 'must be printable ASCII without spaces, quotes or backslashes'
  const star = name.indexOf('*')
  if (star !== -1 && !(name === '*' || (star === name.length - 1 && name[star - 1] === ':'))) {
    return 'may only use "*" alone or as a final ":*" segment'
  }
  return undefined
}

/** Why `name` is not a usable scope, or `undefined` when it is. */
export function scopeNameProblem(name: string): string | undefined {
  return isScopeToken(name) ? undefined : 'must be an RFC 6749 §3.3 scope-token'
}
