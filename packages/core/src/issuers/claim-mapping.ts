import { TokenInvalidError } from '../errors.js'
import type { ScopeLists } from '../tokens/scope-lists.js'
import type { JwtClaims } from '../types.js'

/**
 * Where a right is read from in a foreign issuer's token: a claim path, as an array of segments
 * (`['realm_access', 'roles']`, `['https://example.com/roles']` for a name with dots) or a dotted
 * string (`'realm_access.roles'`), or a function of the verified claims. What it finds grants:
 * an array of strings, or one string (a space-separated list, for scopes). Anything else grants
 * nothing.
 */
export type ClaimMapping = string | readonly string[] | ((claims: Readonly<JwtClaims>) => unknown)

/** Reads one right from verified claims; `shared` lists (a cached result's) are frozen. */
export type RightsReader = (claims: JwtClaims, shared: boolean) => readonly string[]

const NONE: readonly string[] = Object.freeze([])

/** The segments of a claim path; `undefined` for a function. */
export function pathOf(mapping: Exclude<ClaimMapping, (claims: never) => unknown>): readonly string[] {
  return typeof mapping === 'string' ? mapping.split('.') : mapping
}

/**
 * Compiles a mapping into a reader. `kind` says how one string is read: as one role or permission
 * (`'names'`), or as space-separated scopes (RFC 6749 §3.3), split once by the instance's memo.
 */
export function rightsReader(mapping: ClaimMapping, kind: Kind): RightsReader {
  if (typeof mapping === 'function') {
    return (claims, shared) => {
      let value: unknown
      try {
        value = mapping(claims)
      } catch (cause) {
        throw new TokenInvalidError('claims', 'The token is invalid', { cause })
      }
      return asRights(value, kind, shared)
    }
  }
  const path = pathOf(mapping)
  return (claims, shared) => asRights(valueAt(claims, path), kind, shared)
}

/** The default scopes: `scope` (space-separated, RFC 9068 §2.2.3), else `scp` (a string or an array, as Entra ID writes it). */
export function defaultScopes(scopes: ScopeLists): RightsReader {
  return (claims, shared) => asRights(claims.scope !== undefined ? claims.scope : claims.scp, scopes, shared)
}

/** How one string is read: one role or permission (`'names'`), or scopes split by this memo. */
type Kind = 'names' | ScopeLists

/** The value at `path`, following own properties of plain objects only (never a prototype's). */
function valueAt(claims: JwtClaims, path: readonly string[]): unknown {
  let value: unknown = claims
  for (const segment of path) {
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      !Object.hasOwn(value, segment)
    ) {
      return undefined
    }
    value = (value as Record<string, unknown>)[segment]
  }
  return value
}

function asRights(value: unknown, kind: Kind, shared: boolean): readonly string[] {
  if (typeof value === 'string') {
    if (kind === 'names') return value.length === 0 ? NONE : Object.freeze([value])
    return kind.of(value)
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return NONE
  return shared ? Object.freeze(value as string[]) : (value as string[])
}
