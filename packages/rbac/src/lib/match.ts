/**
 * Whether the granted set satisfies `permission`: an exact grant, `*`, or a `prefix:*` grant for
 * one of the `:`-delimited prefixes of `permission`. Never a substring match.
 * Cost: one set lookup per `:` segment of `permission`, whatever the size of `granted`.
 */
export function grants(granted: ReadonlySet<string>, permission: string): boolean {
  if (granted.size === 0) return false
  if (granted.has(permission) || granted.has('*')) return true
  for (let i = permission.indexOf(':'); i !== -1; i = permission.indexOf(':', i + 1)) {
    if (granted.has(permission.slice(0, i + 1) + '*')) return true
  }
  return false
}
