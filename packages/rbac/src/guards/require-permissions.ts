import { InsufficientScopeError, type VerifiedToken } from '@covet/core'
import { compileGrants, type Grants, grants } from '../lib/match.js'
import { permissionNameProblem } from '../lib/names.js'
import type { RbacManager } from '../manager.js'
import { createGuard, type Guard, type GuardMode, parseGuardArguments, refusalDetail } from './guard.js'

/** Options of `requirePermissions`. */
export interface PermissionGuardOptions {
  /** `'all'` (default): every permission is needed; `'any'`: one suffices. */
  mode?: GuardMode
  /** Expand the token's `roles` through this hierarchy, on top of its own `permissions` claim. */
  rbac?: RbacManager
}

// The token's own permissions as a set, once per verified identity (core may reuse one).
const held = new WeakMap<readonly string[], Grants>()

function heldPermissions(auth: VerifiedToken): Grants {
  let compiled = held.get(auth.permissions)
  if (compiled === undefined) {
    compiled = compileGrants(auth.permissions)
    held.set(auth.permissions, compiled)
  }
  return compiled
}

/**
 * A guard letting through identities that hold the permissions: from the token's `permissions`
 * claim, and, given an `RbacManager`, from its `roles` expanded through the hierarchy. Wildcard
 * grants (`posts:*`, `*`) count. No identity: 401; not enough: 403 `insufficient_scope` with the
 * permissions in the challenge's `scope` and the missing ones in the problem's `detail`.
 *
 * @example
 * ```ts
 * export const DELETE = withJwtAuth(requirePermissions('users:read', 'users:write')(handler), { auth })
 * const either = requirePermissions(['posts:edit', 'posts:publish'], { mode: 'any', rbac })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function requirePermissions(...permissions: [string, ...string[]]): Guard
export function requirePermissions(
  permissions: readonly [string, ...string[]],
  options?: PermissionGuardOptions,
): Guard
export function requirePermissions(...args: unknown[]): Guard {
  const { names, mode, rbac } = parseGuardArguments('permissions', args, permissionNameProblem)
  const refusal = (missing: readonly string[]) =>
    new InsufficientScopeError(names, refusalDetail('permissions', mode, missing))
  return createGuard((auth) => {
    const own = heldPermissions(auth)
    const has = (permission: string) =>
      grants(own, permission) || (rbac?.hasPermission(auth.roles, permission) ?? false)
    if (mode === 'any') return names.some(has) ? undefined : refusal(names)
    const missing = names.filter((permission) => !has(permission))
    return missing.length === 0 ? undefined : refusal(missing)
  })
}
