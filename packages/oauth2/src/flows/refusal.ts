import { OAuthError, type OAuthErrorCode } from '../errors.js'

/** The grant refusals a flow answers `null`: the credentials or the scope, not a limit or an outage. */
const REFUSALS: ReadonlySet<OAuthErrorCode> = new Set([
  'invalid_client',
  'invalid_grant',
  'invalid_scope',
  'unauthorized_client',
])

/** `null` for a refusal of the credentials or the scope; anything else (429, an outage) is thrown. */
export function refusedOrThrow(error: unknown): null {
  if (error instanceof OAuthError && REFUSALS.has(error.error)) return null
  throw error
}

/** A grant's form parameters, with `scope` (RFC 6749 §3.3, space-delimited) when scopes are given. */
export function scopeForm(
  scopes: readonly string[],
  parameters: Readonly<Record<string, string>>,
): ReadonlyMap<string, string> {
  const form = new Map(Object.entries(parameters))
  if (scopes.length > 0) form.set('scope', scopes.join(' '))
  return form
}
