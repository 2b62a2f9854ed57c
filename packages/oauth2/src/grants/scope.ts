import type { RegisteredClient } from '../clients/types.js'
import { assertScopeAllowed, parseScope } from '../lib/scope.js'

/**
 * The scope a request asks for: its `scope` parameter, or the client's defaults when omitted
 * (RFC 6749 §3.3). `invalid_scope` when it is malformed or beyond what the client may request.
 */
export function requestedScope(client: RegisteredClient, form: ReadonlyMap<string, string>): string[] {
  const requested = parseScope(form.get('scope')) ?? [...client.defaultScopes]
  assertScopeAllowed(requested, client.scopes)
  return requested
}
