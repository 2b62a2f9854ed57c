/**
 * The obvious resolver a hand-rolled RBAC ends up with: on every check, walk the role's parents
 * recursively (a visited set keeps diamonds from being walked twice) and match each grant by hand.
 */
export function naiveResolver(policy) {
  const roles = policy.roles
  const matches = (granted, permission) =>
    granted === permission ||
    granted === '*' ||
    (granted.endsWith(':*') && permission.startsWith(granted.slice(0, -1)))

  function walk(role, permission, visited) {
    if (visited.has(role)) return false
    visited.add(role)
    const definition = roles[role]
    if (definition === undefined) return false
    for (const granted of definition.permissions) if (matches(granted, permission)) return true
    for (const parent of definition.parents) if (walk(parent, permission, visited)) return true
    return false
  }

  return {
    hasPermission(tokenRoles, permission) {
      if (!Array.isArray(tokenRoles)) return false
      const visited = new Set()
      for (const role of tokenRoles)
        if (typeof role === 'string' && walk(role, permission, visited)) return true
      return false
    },
  }
}
