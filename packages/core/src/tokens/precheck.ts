import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose'
import { TokenInvalidError } from '../errors.js'

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Header parameters that would let the token choose its own key or change how it is processed
 * (RFC 8725 §2.1, §3.10): refused outright. `crit` is refused since Covet understands no extension.
 */
const FORBIDDEN_HEADER_PARAMETERS = [
  'jku',
  'x5u',
  'jwk',
  'x5c',
  'crit',
  'b64',
  'cty',
  'zip',
  'enc',
  'epk',
  'p2s',
  'p2c',
]

/**
 * The cheap structural checks done before any cryptography: size, three canonical base64url
 * segments (RFC 7515 §7.1, no padding or whitespace), and a header Covet is willing to process.
 */
export function precheck(token: unknown, maxLength: number): ProtectedHeaderParameters & { alg: string } {
  if (typeof token !== 'string' || token.length === 0) throw new TokenInvalidError('malformed')
  if (token.length > maxLength) throw new TokenInvalidError('too_large', 'The token is too large')
  if (!COMPACT_JWS.test(token)) throw new TokenInvalidError('malformed')
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  if (
    !isCanonicalBase64url(token, 0, firstDot) ||
    !isCanonicalBase64url(token, firstDot + 1, secondDot) ||
    !isCanonicalBase64url(token, secondDot + 1, token.length)
  ) {
    throw new TokenInvalidError('malformed')
  }
  let header: ProtectedHeaderParameters
  try {
    header = decodeProtectedHeader(token)
  } catch (cause) {
    throw new TokenInvalidError('header', 'The token is invalid', { cause })
  }
  // RFC 8725 §3.1: "none" is never accepted, whatever its casing.
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') {
    throw new TokenInvalidError('algorithm')
  }
  for (const name of FORBIDDEN_HEADER_PARAMETERS) {
    if (Object.hasOwn(header, name)) throw new TokenInvalidError('header')
  }
  if (
    header.kid !== undefined &&
    (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 256)
  ) {
    throw new TokenInvalidError('header')
  }
  if (header.typ !== undefined && typeof header.typ !== 'string') throw new TokenInvalidError('header')
  return header as ProtectedHeaderParameters & { alg: string }
}

/**
 * RFC 4648 §3.5: the unused bits of the last character of `token[start, end)` must be zero, and a
 * length of 1 mod 4 is impossible. Refusing other spellings keeps one token one string (caches and logs stay honest).
 */
function isCanonicalBase64url(token: string, start: number, end: number): boolean {
  const remainder = (end - start) % 4
  if (remainder === 1) return false
  if (remainder === 0) return true
  const last = BASE64URL.indexOf(token[end - 1]!)
  return remainder === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0
}
