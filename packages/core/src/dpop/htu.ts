// RFC 3986 §2.3: unreserved characters, which percent-encoding normalisation decodes.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/

/**
 * An http(s) URL as RFC 9449 §4.3 compares `htu`: without query and fragment, after RFC 3986
 * §6.2.2 syntax-based and §6.2.3 scheme-based normalisation (WHATWG URL parsing lowercases the
 * scheme and host, drops the default port, removes dot segments and turns an empty path into
 * `/`; percent-encodings are then upper-cased and unreserved ones decoded). `undefined` for
 * anything else: another scheme, user information, or no URL at all.
 *
 * @example
 * ```ts
 * normalizeHtu('HTTPS://Example.COM:443/a/./b/%7euser?x=1') // 'https://example.com/a/b/~user'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export function normalizeHtu(value: string): string | undefined {
  if (!URL.canParse(value)) return undefined
  const url = new URL(value)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  // A URL naming a user is no request target (RFC 9110 §4.2.4): never equal to one.
  if (url.username !== '' || url.password !== '') return undefined
  const path = url.pathname.replace(/%[0-9A-Fa-f]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16))
    return UNRESERVED.test(char) ? char : encoded.toUpperCase()
  })
  return `${url.protocol}//${url.host}${path}`
}
