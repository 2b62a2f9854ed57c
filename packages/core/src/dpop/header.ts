import { InvalidRequestError } from '../errors.js'
import { DpopProofError } from './errors.js'

// RFC 6750 §2.1's b64token, which RFC 9449 §7.1 reuses for the DPoP scheme's token68.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
// A compact JWS: three base64url parts (RFC 7515 §7.1).
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** Proofs longer than this are refused unread: a P-521 or RSA-4096 proof is under 2 KiB. */
const MAX_PROOF_LENGTH = 8192

/**
 * The access token of an `Authorization: DPoP <token>` header (RFC 9449 §7.1), or `undefined`
 * when the header uses another scheme or is absent. Throws `InvalidRequestError` for an empty or
 * ill-formed token, or for two credentials in one header.
 */
export function readDpopCredentials(header: string | null): string | undefined {
  if (header === null || header.slice(0, 4).toLowerCase() !== 'dpop') return undefined
  const rest = header.slice(4)
  // Another scheme that starts with the same letters.
  if (rest !== '' && rest[0] !== ' ') return undefined
  const token = rest.trim()
  if (token === '') throw new InvalidRequestError('The access token is empty')
  // Two Authorization headers reach a Fetch handler joined by ", ".
  if (token.includes(',')) throw new InvalidRequestError('More than one Authorization credential was sent')
  if (!B64TOKEN.test(token)) throw new InvalidRequestError('The access token is malformed')
  return token
}

/**
 * The one DPoP proof of `request`, or `undefined` when it sends none. RFC 9449 §4.3: more than
 * one `DPoP` header (which Fetch joins with ", ") or a value that is not one compact JWS is
 * refused with `DpopProofError`.
 */
export function readDpopProof(request: Request): string | undefined {
  const value = request.headers.get('dpop')
  if (value === null) return undefined
  if (value.includes(',')) throw new DpopProofError('multiple')
  if (value.length > MAX_PROOF_LENGTH || !COMPACT.test(value)) throw new DpopProofError('malformed')
  return value
}
