import { type CovetError, InvalidRequestError } from '../errors.js'

/** Where a bearer token may be read from, besides the `Authorization` header. */
export interface TokenSources {
  /** Accept the `access_token` query parameter (RFC 6750 §2.3). Off by default. */
  readonly query?: boolean | undefined
  /** Accept the token from the cookie of this name. Off by default. */
  readonly cookie?: string | undefined
}

/** A token found in a request, and where it was found. */
export interface FoundToken {
  readonly token: string
  readonly source: 'header' | 'query' | 'cookie'
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
// RFC 9110 §11.1: auth-scheme = token.
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/
// A credentials list joined by Fetch (", ") that holds a Bearer credential after the first one.
const LATER_BEARER = /,[ \t]*bearer(?:[ \t]|$)/i

/**
 * The bearer token of `request`, or `undefined` when it presents none (another scheme counts as
 * none). Throws `InvalidRequestError` when the request is malformed: an empty or ill-formed
 * token, two `Authorization` values, or a token sent in more than one way.
 *
 * @example
 * ```ts
 * extractBearerToken(new Request(url, { headers: { authorization: 'Bearer abc' } }))
 * // { token: 'abc', source: 'header' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function extractBearerToken(request: Request, sources: TokenSources = {}): FoundToken | undefined {
  const found = findBearerToken(request, sources)
  if (found !== undefined && !B64TOKEN.test(found.token)) throw malformedToken()
  return found
}

/**
 * `extractBearerToken` without the b64token syntax check of the token itself, for a caller that
 * verifies the token next and asks `refusalOf` when verification fails.
 */
export function findBearerToken(request: Request, sources: TokenSources = {}): FoundToken | undefined {
  let found = fromHeader(request.headers.get('authorization'))
  if (sources.query === true) found = only(found, fromQuery(request.url))
  if (sources.cookie !== undefined)
    found = only(found, fromCookie(request.headers.get('cookie'), sources.cookie))
  return found
}

/**
 * What to answer a token `findBearerToken` found and verification refused with `error`: 400
 * `invalid_request` when the token is not even a b64token (RFC 6750 §2.1, §3.1), else `error`
 * itself (401 `invalid_token`, or 503 for an outage). The syntax is checked only here, after a
 * failure: every token that verifies is a compact JWS and so a b64token, so a good token is never
 * scanned twice (a regular expression over the whole token on every request).
 */
export function refusalOf(token: string, error: CovetError): CovetError {
  return B64TOKEN.test(token) ? error : malformedToken()
}

function malformedToken(): InvalidRequestError {
  return new InvalidRequestError('The access token is malformed')
}

function only(found: FoundToken | undefined, next: FoundToken | undefined): FoundToken | undefined {
  // RFC 6750 §2: clients MUST NOT use more than one method to transmit the token.
  if (found !== undefined && next !== undefined) {
    throw new InvalidRequestError('The access token was sent in more than one way')
  }
  return found ?? next
}

// The last Authorization value that held a bearer token, and what was found in it: a client sends
// the same header on request after request, so its parse is kept, and the cache then finds the very
// token string it holds instead of comparing a fresh copy of it character by character.
let lastHeader: string | undefined
let lastFound: FoundToken | undefined

function fromHeader(header: string | null): FoundToken | undefined {
  if (header === null) return undefined
  if (header === lastHeader) return lastFound
  // The spelling nearly every client sends is recognised without a regular expression or a copy.
  const scheme = header.startsWith('Bearer ') ? 'Bearer' : SCHEME.exec(header)?.[0]
  if (scheme !== 'Bearer' && scheme?.toLowerCase() !== 'bearer') {
    // Two Authorization headers reach a Fetch handler joined by ", ": a Bearer one among them
    // makes the request ambiguous, not credential-free.
    if (LATER_BEARER.test(header)) throw multipleCredentials()
    // RFC 6750 §3.1: a request using another scheme presents no bearer credentials.
    return undefined
  }
  if (header.includes(',', scheme.length)) throw multipleCredentials()
  // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token.
  let start = scheme.length
  while (header.charCodeAt(start) === 0x20) start++
  if (start === scheme.length && header.length > start) {
    if (header.slice(start).trim() !== '') throw malformed()
    return { token: requireToken(undefined), source: 'header' }
  }
  // Shared by every request that sends this header: frozen, as nothing may change it.
  const found: FoundToken = Object.freeze({ token: requireToken(header.slice(start)), source: 'header' })
  lastHeader = header
  lastFound = found
  return found
}

function fromQuery(url: string): FoundToken | undefined {
  const query = url.indexOf('?')
  if (query === -1) return undefined
  const hash = url.indexOf('#', query)
  const values = new URLSearchParams(url.slice(query + 1, hash === -1 ? undefined : hash)).getAll(
    'access_token',
  )
  if (values.length === 0) return undefined
  // RFC 6750 §3.1: a repeated parameter makes the request invalid.
  if (values.length > 1) throw new InvalidRequestError('The access_token parameter was repeated')
  return { token: requireToken(values[0]), source: 'query' }
}

function fromCookie(header: string | null, name: string): FoundToken | undefined {
  if (header === null) return undefined
  let value: string | undefined
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue
    if (value !== undefined) throw new InvalidRequestError('The token cookie was repeated')
    value = pair.slice(eq + 1).trim()
  }
  if (value === undefined) return undefined
  // RFC 6265 §4.1.1: a cookie value may be wrapped in double quotes.
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
  return { token: requireToken(value), source: 'cookie' }
}

function requireToken(token: string | undefined): string {
  if (token === undefined || token === '') throw new InvalidRequestError('The access token is empty')
  return token
}

function malformed(): InvalidRequestError {
  return new InvalidRequestError('The Authorization header is malformed')
}

function multipleCredentials(): InvalidRequestError {
  return new InvalidRequestError('More than one Authorization credential was sent')
}
