import { InsufficientScopeError } from '@covet/core'
import { scopeNameProblem } from '../lib/names.js'
import type { RbacManager } from '../manager.js'
import { createGuard, type Guard, type GuardMode, parseGuardArguments, refusalDetail } from './guard.js'

/** Options of `requireRoles`. */
export interface RoleGuardOptions {
  /** `'all'` (default, as for permissions and scopes): every role is needed; `'any'`: one suffices. */
  mode?: GuardMode
  /** Count the roles the token's roles inherit from in this hierarchy. */
  rbac?: RbacManager
}

/**
 * A guard letting through identities whose `roles` claim holds every one of the roles (or, with
 * `mode: 'any'`, one of them). Given an `RbacManager`, a role also counts when a token role
 * inherits from it. Names are case-sensitive. No identity: 401; not enough: 403 `insufficient_scope`.
 *
 * @example
 * ```ts
 * const staff = requireRoles(['admin', 'moderator'], { mode: 'any' })
 * export const POST = withJwtAuth(staff(handler), { auth })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function requireRoles(...roles: [string, ...string[]]): Guard
export function requireRoles(roles: readonly [string, ...string[]], options?: RoleGuardOptions): Guard
export function requireRoles(...args: unknown[]): Guard {
  const { names, mode, rbac } = parseGuardArguments('roles', args, scopeNameProblem)
  const refusal = (missing: readonly string[]) =>
    new InsufficientScopeError(names, refusalDetail('roles', mode, missing))
  return createGuard((auth) => {
    const has = (role: string) =>
      auth.roles.includes(role) || (rbac !== undefined && auth.roles.some((own) => rbac.inherits(own, role)))
    if (mode === 'any') return names.some(has) ? undefined : refusal(names)
    const missing = names.filter((role) => !has(role))
    return missing.length === 0 ? undefined : refusal(missing)
  })
}
