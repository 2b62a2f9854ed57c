import { PolicyError } from './errors.js'
import { stringList } from './lib/claims.js'
import { roleField } from './lib/field.js'
import { findCycle, parentsFirst, withDescendants } from './lib/graph.js'
import { compileGrants, type Grants, grants, NO_GRANTS } from './lib/match.js'
import { type Policy, parsePolicy, parsePolicyJson, parseRole, type RoleDefinition } from './policy.js'

interface Role {
  readonly permissions: readonly string[]
  readonly parents: readonly string[]
}

const NONE: ReadonlySet<string> = new Set()

/**
 * A role hierarchy. Each role has its own permissions and inherits those of its parents,
 * transitively. Every change recomputes the closure of the roles it touches, so a check is a few
 * set lookups whatever the size or depth of the hierarchy.
 *
 * - Wildcards: `posts:*` grants every permission under `posts:`; `*` grants everything. Never a
 *   substring match: `read:usersx` does not satisfy `read:users`.
 * - Names are case-sensitive. A check given roles of the wrong shape (not an array of strings)
 *   grants nothing and never throws.
 * - Changes are atomic: a refused change (unknown parent, cycle, malformed) leaves the manager as it was.
 *
 * @example
 * ```ts
 * const rbac = new RbacManager({ roles: {
 *   viewer: { permissions: ['posts:read'] },
 *   editor: { permissions: ['posts:*'], parents: ['viewer'] },
 * } })
 * rbac.hasPermission(['editor'], 'posts:publish') // true
 * ```
 * @see https://csrc.nist.gov/projects/role-based-access-control (hierarchical RBAC)
 */
export class RbacManager {
  readonly #roles = new Map<string, Role>()
  readonly #children = new Map<string, Set<string>>()
  readonly #ancestors = new Map<string, ReadonlySet<string>>()
  readonly #granted = new Map<string, Grants>()

  /** A manager holding `policy` (validated; a `PolicyError` names the first bad field). */
  constructor(policy?: Policy) {
    if (policy !== undefined) this.#apply(parsePolicy(policy))
  }

  /** A manager from a JSON policy file's text. */
  static fromJSON(text: string): RbacManager {
    const manager = new RbacManager()
    manager.#apply(parsePolicyJson(text))
    return manager
  }

  /**
   * Define `name`, or redefine it (its descendants are recomputed). Parents must already exist.
   * Throws `PolicyError` for a bad name or definition, an unknown parent, or a cycle.
   */
  addRole(name: string, definition: RoleDefinition = {}): this {
    this.#apply(new Map([[name, parseRole(name, definition)]]))
    return this
  }

  /** Add or redefine several roles at once; parents may be defined in the same policy. */
  addRoles(policy: Policy): this {
    this.#apply(parsePolicy(policy))
    return this
  }

  /** Whether `role` is defined. */
  has(role: string): boolean {
    return this.#roles.has(role)
  }

  /** Every permission of `role`, own and inherited, sorted; empty for an unknown role. */
  getPermissions(role: string): string[] {
    return [...(this.#granted.get(role) ?? NO_GRANTS).names].sort()
  }

  /** Whether any of `roles` grants `permission`. */
  hasPermission(roles: unknown, permission: string): boolean {
    if (typeof permission !== 'string') return false
    for (const role of stringList(roles)) {
      const granted = this.#granted.get(role)
      if (granted !== undefined && grants(granted, permission)) return true
    }
    return false
  }

  /** Whether `roles` grant at least one of `permissions` (false for an empty list). */
  hasAnyPermission(roles: unknown, permissions: readonly string[]): boolean {
    if (!Array.isArray(permissions)) return false
    return permissions.some((permission) => this.hasPermission(roles, permission))
  }

  /** Whether `roles` grant every one of `permissions` (true for an empty list). */
  hasAllPermissions(roles: unknown, permissions: readonly string[]): boolean {
    if (!Array.isArray(permissions)) return false
    return permissions.every((permission) => this.hasPermission(roles, permission))
  }

  /** `roles` and every role they inherit from; unknown roles stand for themselves only. */
  rolesOf(roles: unknown): Set<string> {
    const found = new Set<string>()
    for (const role of stringList(roles)) {
      found.add(role)
      for (const ancestor of this.#ancestors.get(role) ?? NONE) found.add(ancestor)
    }
    return found
  }

  /** Whether `role` inherits from `ancestor`, directly or not (a role does not inherit from itself). */
  inherits(role: string, ancestor: string): boolean {
    return this.#ancestors.get(role)?.has(ancestor) ?? false
  }

  /** The policy as a plain object, the shape the constructor accepts. */
  toJSON(): { roles: Record<string, { permissions: string[]; parents: string[] }> } {
    const roles: Record<string, { permissions: string[]; parents: string[] }> = {}
    for (const [name, role] of this.#roles) {
      roles[name] = { permissions: [...role.permissions], parents: [...role.parents] }
    }
    return { roles }
  }

  #apply(changes: ReadonlyMap<string, Required<RoleDefinition>>): void {
    const next = new Map<string, Role>()
    for (const [name, definition] of changes) {
      definition.parents.forEach((parent, index) => {
        if (!changes.has(parent) && !this.#roles.has(parent)) {
          throw new PolicyError(
            roleField(name, 'parents', index),
            'unknown_parent',
            `role "${name}" inherits from unknown role "${parent}"`,
          )
        }
      })
      next.set(name, {
        permissions: [...new Set(definition.permissions)],
        parents: [...new Set(definition.parents)],
      })
    }
    const parentsOf = (role: string) => next.get(role)?.parents ?? this.#roles.get(role)?.parents ?? []
    // Only a changed role can close a cycle; an unchanged role none of them reaches is settled.
    const redefined = [...next.keys()].filter((name) => this.#roles.has(name))
    const affected = withDescendants(redefined, (role) => this.#children.get(role) ?? NONE)
    const cycle = findCycle(next.keys(), parentsOf, (role) => !next.has(role) && !affected.has(role))
    if (cycle) {
      throw new PolicyError(
        roleField(cycle[0]!, 'parents'),
        'cycle',
        `inheritance cycle ${cycle.join(' → ')}`,
        cycle,
      )
    }
    for (const [name, role] of next) {
      for (const parent of this.#roles.get(name)?.parents ?? []) this.#children.get(parent)?.delete(name)
      this.#roles.set(name, role)
      for (const parent of role.parents) {
        const children = this.#children.get(parent)
        if (children === undefined) this.#children.set(parent, new Set([name]))
        else children.add(name)
      }
    }
    const dirty = withDescendants(next.keys(), (role) => this.#children.get(role) ?? NONE)
    for (const name of parentsFirst(dirty, parentsOf)) this.#close(name)
  }

  /** Recompute `name`'s ancestors and granted permissions from its parents' (already current). */
  #close(name: string): void {
    const role = this.#roles.get(name)!
    const ancestors = new Set<string>()
    const granted = new Set(role.permissions)
    for (const parent of role.parents) {
      ancestors.add(parent)
      for (const ancestor of this.#ancestors.get(parent) ?? NONE) ancestors.add(ancestor)
      for (const permission of (this.#granted.get(parent) ?? NO_GRANTS).names) granted.add(permission)
    }
    this.#ancestors.set(name, ancestors)
    this.#granted.set(name, compileGrants(granted))
  }
}
