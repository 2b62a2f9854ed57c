import { ConfigError } from '../errors.js'

/** Compiled path patterns: exact paths and `/prefix/*` patterns. */
export interface PathMatcher {
  /** Whether the (already checked) normalised `path` matches a pattern. */
  matches(path: string): boolean
}

/** What a request path means for authentication. */
export type PathKind = 'exempt' | 'optional' | 'protected'

// Raw spellings that routers disagree about: encoded separators (`%2f`, `%5c`), a raw `\`, `//`.
const AMBIGUOUS_RAW = /%2f|%5c|\\|\/\//i
// Still-encoded separators or dots after one decoding (a double-encoded path).
const AMBIGUOUS_DECODED = /%2f|%5c|%2e|\\|\/\//i
// A `.` or `..` segment, also with a `;parameter` some servers strip (`..;`).
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:;[^/]*)?(?:\/|$)/

/**
 * Compile `patterns` once. Each is an exact path (`/login`) or a prefix (`/docs/*`, matching
 * `/docs` and everything under it). Throws `ConfigError` naming `field` for an invalid one.
 */
export function compilePaths(field: string, patterns: readonly string[]): PathMatcher {
  const exact = new Set<string>()
  const prefixes: string[] = []
  patterns.forEach((pattern, index) => {
    const name = `${field}[${index}]`
    const isPrefix = pattern.endsWith('/*')
    const base = isPrefix ? pattern.slice(0, -2) : pattern
    if (!pattern.startsWith('/')) throw new ConfigError(name, 'a path pattern must start with "/"')
    if (base.includes('*')) throw new ConfigError(name, '"*" is only allowed as a final "/*"')
    if (/[?#%\\]/.test(base))
      throw new ConfigError(name, 'a path pattern cannot contain "?", "#", "%" or "\\"')
    if (base.includes('//') || DOT_SEGMENT.test(base)) {
      throw new ConfigError(name, 'a path pattern must be normalised (no "//", "." or ".." segments)')
    }
    if (isPrefix) prefixes.push(base)
    else exact.add(base)
  })
  return {
    matches(path) {
      if (exact.has(path)) return true
      for (const base of prefixes) {
        if (path.startsWith(base) && (path.length === base.length || path[base.length] === '/')) return true
      }
      return false
    },
  }
}

/**
 * The decoded pathname of `pathname` (a WHATWG URL's, see `requestPathname`), or `undefined` when
 * its spelling is ambiguous (`..` or `.` segments, encoded `/` or `\`, a `\`, `//`, bad
 * percent-encoding): such a path is never exempt nor optional, whatever the patterns say.
 */
export function normalisedPathname(pathname: string): string | undefined {
  const raw = pathname
  if (AMBIGUOUS_RAW.test(raw)) return undefined
  let path: string
  try {
    path = raw.includes('%') ? decodeURIComponent(raw) : raw
  } catch {
    return undefined
  }
  if (path !== raw && AMBIGUOUS_DECODED.test(path)) return undefined
  if (DOT_SEGMENT.test(path)) return undefined
  return path
}

/**
 * Classify `pathname`, the path the router sees (never a raw string): exempt patterns first, then
 * optional ones; an ambiguous path is always protected.
 */
export function classifyPath(pathname: string, exempt: PathMatcher, optional: PathMatcher): PathKind {
  const path = normalisedPathname(pathname)
  if (path === undefined) return 'protected'
  if (exempt.matches(path)) return 'exempt'
  if (optional.matches(path)) return 'optional'
  return 'protected'
}
