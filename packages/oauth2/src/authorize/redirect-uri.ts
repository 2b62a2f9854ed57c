/**
 * Redirect URI rules: registration (RFC 6749 §3.1.2, RFC 9700 §2.1) and matching (RFC 9700
 * §4.1.3 exact comparison, RFC 8252 §7.3 loopback port).
 */

/** Loopback IP literals, whose redirect port may vary (RFC 8252 §7.3). `localhost` is not one (§8.3). */
function isLoopbackIp(hostname: string): boolean {
  return hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
}

/** Whether a URL names this machine: loopback IPs and `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  return isLoopbackIp(hostname) || hostname === 'localhost'
}

/**
 * Why a redirect URI may not be registered, or `undefined` when it may: it must be absolute,
 * without a fragment (RFC 6749 §3.1.2), and use `https`, `http` on a loopback host only
 * (RFC 9700 §2.1, RFC 8252 §7.3), or a private-use scheme with a dot (RFC 8252 §7.1).
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return 'must be an absolute URL'
  const url = new URL(uri)
  if (uri.includes('#')) return 'must not have a fragment (RFC 6749 §3.1.2)'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname) ? undefined : 'may use http only on a loopback host (RFC 9700 §2.1)'
  }
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return undefined
  return 'must use https, http on loopback, or a private-use scheme such as com.example.app (RFC 8252 §7.1)'
}

/** `http://` + a loopback IP literal + an optional port + the rest, taken apart as written. */
const LOOPBACK = /^http:\/\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::(\d{1,5}))?([/?][^#]*)?$/

/**
 * Whether `requested` is one of the client's `registered` redirect URIs: compared as strings
 * (RFC 9700 §4.1.3), except that for an `http` loopback IP the port is ignored (RFC 8252 §7.3).
 * The loopback comparison works on the text as written, so no URL normalisation widens it.
 */
export function matchesRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true
  const asked = LOOPBACK.exec(requested)
  if (asked === null || Number(asked[2] ?? 80) > 65535) return false
  // RFC 8252 §7.3: the client picks its port at run time; everything but the port must match.
  return registered.some((uri) => {
    const known = LOOPBACK.exec(uri)
    return known !== null && known[1] === asked[1] && (known[3] ?? '') === (asked[3] ?? '')
  })
}
