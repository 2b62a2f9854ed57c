import type { JWTPayload } from 'jose'
import { TokenTypeError } from '../errors.js'

/**
 * Claims that only an OpenID Connect ID token carries. An issuer signs its ID tokens and its
 * access tokens with the same keys, often with the same header `typ` (`JWT`), so the claims are
 * what tells them apart (RFC 8725 §3.12: mutually exclusive validation rules).
 */
const ID_TOKEN_CLAIMS = [
  // OpenID Connect Core §2, §3.1.2.1: echoes the client's authentication request.
  'nonce',
  // OpenID Connect Core §3.1.3.6, §3.3.2.11: hashes of the access token and code it came with.
  'at_hash',
  'c_hash',
  // FAPI 1.0 Advanced §5.1: hash of the state.
  's_hash',
] as const

/**
 * The claim that marks `payload` as an ID token, or `undefined`: an ID-token-only claim, Keycloak's
 * payload `typ: "ID"`, or Amazon Cognito's `token_use: "id"`.
 */
export function idTokenMarker(payload: JWTPayload): string | undefined {
  for (const claim of ID_TOKEN_CLAIMS) if (payload[claim] !== undefined) return claim
  if (typeof payload.typ === 'string' && payload.typ.toLowerCase() === 'id') return 'typ'
  if (payload.token_use === 'id') return 'token_use'
  return undefined
}

/**
 * RFC 9068 §4 / RFC 8725 §3.11–3.12: an ID token is never accepted as an access token, whatever
 * its header `typ` and audience. Throws `TokenTypeError` with `reason: 'id_token'`.
 */
export function refuseIdToken(payload: JWTPayload): void {
  const marker = idTokenMarker(payload)
  if (marker !== undefined) {
    throw new TokenTypeError(`The token is an ID token (it carries ${marker}), not an access token`, {
      reason: 'id_token',
    })
  }
}
