import type { ClientRegistry, RegisteredClient } from '../clients/types.js'
import { OAuthError } from '../errors.js'
import { assertScopeAllowed, parseScope } from '../lib/scope.js'
import { isJwkThumbprint } from './dpop-jkt.js'
import { isS256Challenge } from './pkce.js'
import { matchesRedirectUri } from './redirect-uri.js'

/** A valid authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export interface AuthorizationRequest {
  readonly client: RegisteredClient
  readonly redirectUri: string
  /** Whether `redirect_uri` was sent (the token request must then repeat it, RFC 6749 §4.1.3). */
  readonly redirectUriSent: boolean
  readonly state: string | undefined
  readonly codeChallenge: string
  /** The thumbprint of the DPoP key the code is bound to, when the client named one (RFC 9449 §10). */
  readonly dpopJkt: string | undefined
  readonly scopes: readonly string[]
  /** OpenID Connect `prompt` values Covet acts on. */
  readonly prompt: { readonly none: boolean; readonly login: boolean; readonly consent: boolean }
  /** The query string as received: carried through the login and consent forms. */
  readonly query: string
}

/** The outcome of reading an authorization request. */
export type ParsedRequest =
  | { readonly kind: 'valid'; readonly request: AuthorizationRequest }
  /** RFC 6749 §4.1.2.1: no trustworthy redirect URI: the user sees an error page, nothing redirects. */
  | { readonly kind: 'page'; readonly message: string }
  /** An error the client hears of at its redirect URI. */
  | {
      readonly kind: 'redirect'
      readonly redirectUri: string
      readonly state: string | undefined
      readonly error: OAuthError
    }

/** Longest query string read: far above any legitimate request, far below what hurts. */
const MAX_QUERY = 4096

/**
 * Reads and checks an authorization request. The client and its redirect URI are checked first:
 * while either is in doubt, errors are shown, never redirected (RFC 6749 §4.1.2.1), so the
 * endpoint is no open redirector (RFC 9700 §4.11).
 */
export async function parseAuthorizationRequest(
  query: string,
  clients: ClientRegistry,
): Promise<ParsedRequest> {
  if (query.length > MAX_QUERY) return page('The request is too long.')
  const params = new Map<string, string>()
  const repeated = new Set<string>()
  for (const [name, value] of new URLSearchParams(query)) {
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted; none may repeat.
    if (value === '') continue
    if (params.has(name)) repeated.add(name)
    params.set(name, value)
  }
  const clientId = params.get('client_id')
  if (clientId === undefined || repeated.has('client_id')) return page('The request names no client.')
  const client = await clients.find?.(clientId)
  if (client === undefined) return page('The application that sent you here is not known.')
  const registered = client.redirectUris ?? []
  const sent = params.get('redirect_uri')
  if (repeated.has('redirect_uri')) return page('The request names more than one redirect URI.')
  // RFC 6749 §3.1.2.3: without redirect_uri, the one registered URI is used; with several, it is required.
  const redirectUri = sent ?? (registered.length === 1 ? registered[0] : undefined)
  if (redirectUri === undefined) return page('The request does not say where to return to.')
  if (!matchesRedirectUri(redirectUri, registered)) {
    return page('The application asked to return to an address it has not registered.')
  }

  const state = repeated.has('state') ? undefined : params.get('state')
  const refuse = (error: OAuthError): ParsedRequest => ({ kind: 'redirect', redirectUri, state, error })
  const invalid = (description: string) => refuse(new OAuthError('invalid_request', description))
  if (repeated.size > 0) return invalid('Request parameters must not be repeated')
  if (!client.grantTypes.has('authorization_code')) {
    return refuse(
      new OAuthError('unauthorized_client', 'The client may not use the authorization code grant'),
    )
  }
  const responseType = params.get('response_type')
  if (responseType === undefined) return invalid('response_type is required')
  // OAuth 2.1 and RFC 9700 §2.1.2: only the code flow; the implicit grant (token) is not offered.
  if (responseType !== 'code') {
    return refuse(new OAuthError('unsupported_response_type', 'Only response_type=code is supported'))
  }
  const responseMode = params.get('response_mode')
  if (responseMode !== undefined && responseMode !== 'query')
    return invalid('Only response_mode=query is supported')
  const codeChallenge = params.get('code_challenge')
  // RFC 7636 §4.4.1: PKCE is required here, so a request without it is invalid_request.
  if (codeChallenge === undefined) return invalid('code_challenge is required (PKCE, RFC 7636)')
  // RFC 7636 §4.4.1, RFC 9700 §2.1.1: `plain` (the default when no method is sent) is refused.
  if (params.get('code_challenge_method') !== 'S256') return invalid('code_challenge_method must be S256')
  if (!isS256Challenge(codeChallenge)) return invalid('code_challenge is not a valid S256 challenge')
  const dpopJkt = params.get('dpop_jkt')
  // RFC 9449 §10: dpop_jkt is the JWK SHA-256 thumbprint (RFC 7638) of the client's DPoP key.
  if (dpopJkt !== undefined && !isJwkThumbprint(dpopJkt))
    return invalid('dpop_jkt is not a JWK SHA-256 thumbprint (RFC 9449 §10)')

  let scopes: readonly string[]
  try {
    scopes = parseScope(params.get('scope')) ?? [...client.defaultScopes]
    assertScopeAllowed(scopes, client.scopes)
  } catch (error) {
    return refuse(error as OAuthError)
  }
  const prompts = new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))
  // OpenID Connect Core §3.1.2.1: `none` with any other value is an error.
  if (prompts.has('none') && prompts.size > 1)
    return invalid('prompt=none cannot be combined with other values')
  return {
    kind: 'valid',
    request: {
      client,
      redirectUri,
      redirectUriSent: sent !== undefined,
      state,
      codeChallenge,
      dpopJkt,
      scopes,
      prompt: { none: prompts.has('none'), login: prompts.has('login'), consent: prompts.has('consent') },
      query,
    },
  }
}

function page(message: string): ParsedRequest {
  return { kind: 'page', message }
}
