import { COVET_ERROR_CODES, CovetError } from '@covet/core'

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
  // RFC 9449 §5, §8: a refused DPoP proof, and a proof without the server's nonce.
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'

/**
 * A refusal an endpoint turns into an RFC 6749 §5.2 error response (or an authorization error
 * redirect, §4.1.2.1), in the Covet error family: `code` follows `error` one to one
 * (`invalid_client` ↔ `ERR_OAUTH_INVALID_CLIENT`, see `COVET_ERROR_CODES`), `status` is the
 * HTTP status the RFC gives it, `headers` go with the answer (a Basic challenge, `Retry-After`).
 * The description is a fixed, generic sentence: never a token, a secret or anything the client
 * sent. One class for every `error`, since the registry of them is open (RFC 6749 §11.4).
 *
 * @example
 * ```ts
 * try { client = await authenticateClient(readClientCredentials(request, form), clients, 'api') }
 * catch (error) { if (error instanceof OAuthError && error.code === COVET_ERROR_CODES.OAUTH_INVALID_CLIENT) … }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthError extends CovetError {
  /** The Covet code of an RFC 6749 `error`. */
  static codeOf(error: OAuthErrorCode): OAuthCovetCode {
    return COVET_ERROR_CODES[`OAUTH_${error.toUpperCase() as Uppercase<OAuthErrorCode>}`]
  }

  readonly code: OAuthCovetCode
  override readonly status: number

  constructor(
    /** The RFC 6749 `error` value. */
    readonly error: OAuthErrorCode,
    readonly description: string,
    status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description)
    this.code = OAuthError.codeOf(error)
    this.status = status
  }
}

/** The Covet codes of OAuth refusals: `ERR_OAUTH_` and the RFC 6749 `error` in capitals. */
export type OAuthCovetCode = (typeof COVET_ERROR_CODES)[`OAUTH_${Uppercase<OAuthErrorCode>}`]

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
