// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/**
 * Whether `token` is an RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`.
 * Scopes, role and permission names that go into a challenge's `scope` attribute must be one.
 *
 * @example
 * ```ts
 * isScopeToken('posts:read') // true
 * isScopeToken('read write') // false: that is two tokens
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function isScopeToken(token: string): boolean {
  return typeof token === 'string' && SCOPE_TOKEN.test(token)
}

/**
 * Whether `scope` is a `scope` value: scope tokens separated by single spaces (RFC 6749 §3.3).
 *
 * @example
 * ```ts
 * isScope('read write') // true
 * isScope('read  write') // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function isScope(scope: string): boolean {
  return typeof scope === 'string' && scope.split(' ').every(isScopeToken)
}
