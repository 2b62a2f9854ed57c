import { InsufficientScopeError } from '@covet/core'
import { scopeNameProblem } from '../lib/names.js'
import { createGuard, type Guard, type GuardMode, parseGuardArguments, refusalDetail } from './guard.js'

/** Options of `requireScopes`. */
export interface ScopeGuardOptions {
  /** `'all'` (default): every scope is needed; `'any'`: one suffices. */
  mode?: GuardMode
}

/**
 * A guard letting through identities whose token `scope` holds every listed scope (or one, with
 * `mode: 'any'`). Scopes are opaque, case-sensitive strings compared whole (RFC 6749 §3.3): no
 * wildcards. No identity: 401; not enough: 403 `insufficient_scope` with `scope="…"`.
 *
 * @example
 * ```ts
 * export const GET = withJwtAuth(requireScopes('read')(handler), { auth })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function requireScopes(...scopes: [string, ...string[]]): Guard
export function requireScopes(scopes: readonly [string, ...string[]], options?: ScopeGuardOptions): Guard
export function requireScopes(...args: unknown[]): Guard {
  const { names, mode } = parseGuardArguments('scopes', args, scopeNameProblem)
  const refusal = (missing: readonly string[]) =>
    new InsufficientScopeError(names, refusalDetail('scopes', mode, missing))
  return createGuard((auth) => {
    const has = (scope: string) => auth.scopes.includes(scope)
    if (mode === 'any') return names.some(has) ? undefined : refusal(names)
    const missing = names.filter((scope) => !has(scope))
    return missing.length === 0 ? undefined : refusal(missing)
  })
}
