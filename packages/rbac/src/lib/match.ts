/** A set of granted permissions, arranged so that a check allocates nothing. */
export interface Grants {
  /** Every granted name, wildcards included as written. */
  readonly names: ReadonlySet<string>
  /** `*` was granted. */
  readonly all: boolean
  /** The prefixes of the `prefix:*` grants, with their `:` (`posts:`). */
  readonly prefixes: readonly string[]
  readonly prefixSet: ReadonlySet<string>
}

// Past this many wildcard prefixes, probing the set per `:` segment beats scanning them all.
const SCAN_LIMIT = 8

/** `permissions` arranged for `grants`. */
export function compileGrants(permissions: Iterable<string>): Grants {
  const names = new Set(permissions)
  const prefixes: string[] = []
  for (const name of names) if (name.length > 1 && name.endsWith(':*')) prefixes.push(name.slice(0, -1))
  return { names, all: names.has('*'), prefixes, prefixSet: new Set(prefixes) }
}

export const NO_GRANTS: Grants = compileGrants([])

/**
 * Whether `granted` satisfies `permission`: an exact grant, `*`, or a `prefix:*` grant for one of
 * the `:`-delimited prefixes of `permission`. Never a substring match.
 * Cost: a few lookups, whatever the number of permissions granted.
 */
export function grants(granted: Grants, permission: string): boolean {
  if (granted.all || granted.names.has(permission)) return true
  const prefixes = granted.prefixes
  if (prefixes.length === 0) return false
  if (prefixes.length <= SCAN_LIMIT) {
    for (const prefix of prefixes) if (permission.startsWith(prefix)) return true
    return false
  }
  for (let i = permission.indexOf(':'); i !== -1; i = permission.indexOf(':', i + 1)) {
    if (granted.prefixSet.has(permission.slice(0, i + 1))) return true
  }
  return false
}
