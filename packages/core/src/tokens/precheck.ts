import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose'
import { TokenInvalidError } from '../errors.js'

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
/**
 * What base64 decoders skip or accept but canonical base64url forbids (RFC 7515 §2, RFC 4648 §3.3,
 * §5): padding, whitespace, the standard alphabet's `+` and `/`. A plain search for each is cheaper
 * than matching the whole alphabet; any other stray character makes jose's decoder fail.
 */
const NON_CANONICAL = ['=', ' ', '\n', '\r', '\t', '\f', '+', '/']
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
  precheckShape(token, maxLength)
  return decodeHeader(token as string)
}

/** The protected header of a token that passed `precheckShape`, checked by `checkHeader`. */
export function decodeHeader(token: string): ProtectedHeaderParameters & { alg: string } {
  let header: ProtectedHeaderParameters
  try {
    header = decodeProtectedHeader(token)
  } catch (cause) {
    throw new TokenInvalidError(isCompactJws(token) ? 'header' : 'malformed', 'The token is invalid', {
      cause,
    })
  }
  return checkHeader(header)
}

/**
 * Size and three canonical base64url segments, without decoding anything; returns where the
 * header segment ends. `checkedPrefix` characters at the start are already known to be a
 * canonical header segment and its dot (a remembered header), so only the rest is scanned.
 */
export function precheckShape(token: unknown, maxLength: number, checkedPrefix = 0): number {
  if (typeof token !== 'string' || token.length === 0) throw new TokenInvalidError('malformed')
  if (token.length > maxLength) throw new TokenInvalidError('too_large', 'The token is too large')
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  // Three non-empty segments (RFC 7515 §7.1).
  if (
    firstDot < 1 ||
    secondDot < firstDot + 2 ||
    secondDot === token.length - 1 ||
    token.indexOf('.', secondDot + 1) !== -1
  ) {
    throw new TokenInvalidError('malformed')
  }
  for (const character of NON_CANONICAL) {
    if (token.includes(character, checkedPrefix)) throw new TokenInvalidError('malformed')
  }
  if (
    (checkedPrefix === 0 && !isCanonicalBase64url(token, 0, firstDot)) ||
    !isCanonicalBase64url(token, firstDot + 1, secondDot) ||
    !isCanonicalBase64url(token, secondDot + 1, token.length)
  ) {
    throw new TokenInvalidError('malformed')
  }
  return firstDot
}

/** A decoded protected header Covet is willing to process: a real `alg`, no key-choosing or processing-changing parameters, sane `kid` and `typ`. */
function checkHeader(header: ProtectedHeaderParameters): ProtectedHeaderParameters & { alg: string } {
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

/** Whether every character is in the base64url alphabet, in three segments: for classifying a failure, off the hot path. */
export function isCompactJws(token: string): boolean {
  return COMPACT_JWS.test(token)
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
