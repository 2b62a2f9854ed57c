/**
 * What a request's URL means to the application: the pathname every router reads (the WHATWG
 * `URL`'s), or a refusal when the raw URL could be read as another path by anything on the way.
 * Runtimes build `request.url` from the raw `Host` header and request target, so a `Host` such as
 * `x/docs/.<TAB>.` or `a\admin` moves the path the router sees; such requests are refused before
 * any handler runs, on every runtime and whatever adapter (if any) sits in front.
 */

// RFC 9112 §3.2 and RFC 3986 §3.2.2–3.2.3: uri-host [":" port]. Covet accepts the spellings clients
// send: a registered name of letters, digits, "-", ".", "_" and "~" (no percent-encoding, no
// sub-delimiters, no userinfo), or an IPv6 literal, with an optional port of one to five digits.
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/
// Bytes that are never valid in a request target (RFC 9112 §3.2 / RFC 3986 §2): controls and space.
// WHATWG URL parsing strips tabs and newlines silently, which is how a path is smuggled past a check.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the bytes refused.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/

// A path WHATWG URL parsing leaves as it is: no percent-encoding (it reads "%2e" as "."), no "\",
// nothing it escapes; and no "." or ".." segment, which it would resolve.
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/
// A host WHATWG URL parsing accepts as it is: a name whose last label is not a number (which it
// would parse, and may refuse, as an IPv4 address) and holds no punycode, or a dotted-quad address.
const PLAIN_NAME = /^[A-Za-z0-9._~-]*[A-Za-z_~-][A-Za-z0-9_~-]*\.?(?::\d{1,5})?$/
const DOTTED_QUAD =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?::\d{1,5})?$/

/** Whether an authority (already a valid `host[:port]`) parses as WHATWG URL's host unchanged in meaning. */
function isPlainHost(authority: string): boolean {
  if (DOTTED_QUAD.test(authority)) return true
  if (!PLAIN_NAME.test(authority) || /xn--/i.test(authority)) return false
  // The last label: "0x…" is a hexadecimal IPv4 part to WHATWG URL.
  const name = authority.replace(/:\d+$/, '').replace(/\.$/, '')
  const last = name.slice(name.lastIndexOf('.') + 1)
  return !/^0x/i.test(last)
}

/** Whether `host` is a valid `host[:port]` (RFC 9112 §3.2), as a `Host` header or URL authority. */
export function isValidHost(host: string): boolean {
  const match = HOST.exec(host)
  if (match === null) return false
  const port = match[1]
  return port === undefined || Number(port) <= 65535
}

/**
 * The pathname the application will see for `url` (the WHATWG URL's, which every router uses), or
 * `undefined` when the request must be refused with 400: the URL does not parse, has a control
 * character or space, its authority (or the `host` header, when given) is not a valid
 * `host[:port]`, it has no path (a CONNECT's target), it holds a `\` before its query, or its raw
 * path is not exactly the path WHATWG parsing yields (dot segments, stripped tabs, percent-encoded
 * dots), so that something reading the raw string could disagree with the router.
 *
 * @example
 * ```ts
 * requestPathname('http://x/docs/a', 'x') // '/docs/a'
 * requestPathname('http://a\\admin/docs/a', 'x') // undefined: WHATWG URL reads /admin/docs/a
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-3.2
 * @see https://url.spec.whatwg.org/#concept-basic-url-parser
 */
export function requestPathname(url: string, host: string | null): string | undefined {
  if (url === lastUrl && host === lastHost) return lastPathname
  const pathname = checkedPathname(url, host)
  lastUrl = url
  lastHost = host
  lastPathname = pathname
  return pathname
}

// An adapter checks each request's URL, then withJwtAuth checks it again with the same two strings,
// back to back: the last answer is kept, so the second check is a string comparison, not a URL parse.
let lastUrl: string | undefined
let lastHost: string | null = null
let lastPathname: string | undefined

function checkedPathname(url: string, host: string | null): string | undefined {
  if (host !== null && !isValidHost(host)) return undefined
  if (CONTROL_OR_SPACE.test(url)) return undefined
  const scheme = url.indexOf('://')
  if (scheme === -1) return undefined
  // RFC 3986 §3.2: the authority ends at "/", "?" or "#"; WHATWG URL also ends it at "\".
  let start = scheme + 3
  let end = start
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end)
    if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) break
  }
  if (!isValidHost(url.slice(start, end))) return undefined
  start = end
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end)
    if (c === 0x3f || c === 0x23) break
  }
  // RFC 9112 §3.2.3: no path is CONNECT's authority-form (Deno builds its URL so), never a resource here.
  if (start === end) return undefined
  const raw = url.slice(start, end)
  // Most request URLs need no parser: an http(s) URL with a plain host and a path of unreserved
  // characters and no dot segment is its own WHATWG pathname (what the parse below would confirm).
  if (scheme === 4 ? url.startsWith('http') : scheme === 5 && url.startsWith('https')) {
    if (PLAIN_PATH.test(raw) && !DOT_SEGMENT.test(raw) && isPlainHost(url.slice(scheme + 3, start)))
      return raw
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined
  // A "\" is a "/" to WHATWG URL but not to a raw-string reader; other differences are dot
  // segments resolved or characters escaped: either way, two readers of one path would disagree.
  return parsed.pathname === raw ? raw : undefined
}
