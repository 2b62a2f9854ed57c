import { invalidScope } from '../errors.js'

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/** Whether `token` is a syntactically valid scope token. */
export function isScopeToken(token: string): boolean {
  return SCOPE_TOKEN.test(token)
}

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
