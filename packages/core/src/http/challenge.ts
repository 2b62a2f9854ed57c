import type { BearerErrorCode } from '../errors.js'
import { isScopeToken } from '../lib/scope.js'

/** The attributes of a Bearer challenge. */
export interface BearerChallenge {
  /** Protection space (RFC 6750 §3); omitted when undefined. */
  realm?: string | undefined
  /** RFC 6750 §3.1 error code; omitted when no credentials were presented. */
  error?: BearerErrorCode | undefined
  /** Human-readable explanation, restricted to RFC 6750 §3's character set. */
  errorDescription?: string | undefined
  /** Scope the resource requires (RFC 6750 §3), as a list of scope tokens. */
  scope?: readonly string[] | undefined
  /** URL of the protected resource metadata (RFC 9728 §5.1). */
  resourceMetadata?: string | undefined
}

// RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E (no `"` and no `\`).
const NOT_DESCRIPTION_CHAR = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g
// Header values are printable ASCII here: anything else (control characters) is dropped.
const NOT_PRINTABLE = /[^\x20-\x7e]/g

/** An RFC 9110 §5.6.4 quoted-string: `"` and `\` escaped, non-printable characters dropped. */
export function quote(value: string): string {
  return `"${value.replace(NOT_PRINTABLE, '').replace(/["\\]/g, '\\$&')}"`
}

/**
 * The value of a `WWW-Authenticate` header carrying a Bearer challenge.
 *
 * @example
 * ```ts
 * bearerChallenge({ realm: 'api' }) // 'Bearer realm="api"'
 * bearerChallenge({ realm: 'api', error: 'insufficient_scope', scope: ['a', 'b'] })
 * // 'Bearer realm="api", error="insufficient_scope", scope="a b"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function bearerChallenge(challenge: BearerChallenge): string {
  return authChallenge('Bearer', challenge)
}

/**
 * A challenge of `scheme` with RFC 6750 §3's attributes, which DPoP's follows too (RFC 9449
 * §7.1): `realm`, `error`, `error_description`, `scope`, then the scheme's own `extra` pairs
 * (already quoted), then `resource_metadata` (RFC 9728 §5.1).
 */
export function authChallenge(
  scheme: string,
  challenge: Omit<BearerChallenge, 'error'> & { error?: string | undefined },
  extra: readonly string[] = [],
): string {
  const params: string[] = []
  if (challenge.realm !== undefined) params.push(`realm=${quote(challenge.realm)}`)
  if (challenge.error !== undefined) {
    params.push(`error=${quote(challenge.error)}`)
    const description = challenge.errorDescription?.replace(NOT_DESCRIPTION_CHAR, '')
    if (description) params.push(`error_description=${quote(description)}`)
  }
  // Tokens outside the scope-token grammar cannot be expressed, so they are left out.
  const scope = challenge.scope?.filter(isScopeToken)
  if (scope !== undefined && scope.length > 0) params.push(`scope=${quote(scope.join(' '))}`)
  params.push(...extra)
  if (challenge.resourceMetadata !== undefined) {
    params.push(`resource_metadata=${quote(challenge.resourceMetadata)}`)
  }
  return params.length === 0 ? scheme : `${scheme} ${params.join(', ')}`
}
