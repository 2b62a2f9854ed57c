import { isScopeToken } from '@covet/core'
import { invalidScope } from '../errors.js'

export { isScopeToken }

/**
 * The scope tokens of a `scope` parameter, in order and without duplicates; `invalid_scope` when
 * the syntax is wrong (RFC 6749 §3.3: tokens delimited by single spaces).
 */
export function parseScope(scope: string | undefined): string[] | undefined {
  if (scope === undefined) return undefined
  const tokens = scope.split(' ')
  if (!tokens.every(isScopeToken)) throw invalidScope('The scope parameter is malformed')
  return [...new Set(tokens)]
}

/** The space-delimited form, or `undefined` for no scope. */
export function formatScope(tokens: readonly string[] | undefined): string | undefined {
  return tokens === undefined || tokens.length === 0 ? undefined : tokens.join(' ')
}

/** Throws `invalid_scope` unless every requested token is allowed. */
export function assertScopeAllowed(requested: readonly string[], allowed: ReadonlySet<string>): void {
  if (!requested.every((token) => allowed.has(token))) throw invalidScope()
}
