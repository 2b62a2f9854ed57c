/**
 * The `error` codes the endpoints answer with: RFC 6749 §5.2, RFC 7009 §2.2.1, plus
 * `temporarily_unavailable` (RFC 6749 §4.1.2.1, registered in §11.4) for throttling and outages.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable'
  | 'server_error'
  // RFC 6749 §4.1.2.1: authorization response errors.
  | 'unsupported_response_type'
  | 'access_denied'
  // OpenID Connect Core §3.1.2.6: answers to prompt=none.
  | 'login_required'
  | 'consent_required'

/**
 * A refusal the endpoint turns into an RFC 6749 §5.2 error response. The description is a fixed,
 * generic sentence: never a token, a secret or anything the client sent.
 */
export class OAuthError extends Error {
  readonly code = 'ERR_OAUTH'
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description)
    this.name = 'OAuthError'
  }
}

/** RFC 6749 §5.2 `invalid_request`. */
export function invalidRequest(description: string): OAuthError {
  return new OAuthError('invalid_request', description)
}

/** RFC 6749 §5.2 `invalid_grant`. */
export function invalidGrant(description: string): OAuthError {
  return new OAuthError('invalid_grant', description)
}

/** RFC 6749 §5.2 `invalid_scope`. */
export function invalidScope(
  description = 'The requested scope is invalid, unknown or not allowed',
): OAuthError {
  return new OAuthError('invalid_scope', description)
}

/**
 * RFC 6749 §5.2 `invalid_client`: 401 with a Basic challenge. The same answer for an unknown
 * client, a wrong secret and missing credentials, so it tells nothing about which ids exist.
 */
export function invalidClient(realm: string): OAuthError {
  return new OAuthError('invalid_client', 'Client authentication failed', 401, {
    'www-authenticate': `Basic realm="${realm}"`,
  })
}
