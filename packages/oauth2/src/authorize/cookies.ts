import { isLoopbackHost } from './redirect-uri.js'

/** The value of cookie `name` in a request's `Cookie` header (RFC 6265 §5.4); the first wins. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie')
  if (header === null) return undefined
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue
    const value = pair.slice(eq + 1).trim()
    return /^[A-Za-z0-9\-_.]{1,256}$/.test(value) ? value : undefined
  }
  return undefined
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number
  /** The path the cookie is sent to: the endpoint's own. */
  path: string
  sameSite: 'Lax' | 'Strict'
}

/**
 * A `Set-Cookie` value: `HttpOnly`, `Secure` unless the request came to a loopback host over
 * plain http (a browser drops a Secure cookie there), `SameSite` as asked.
 */
export function setCookie(request: Request, name: string, value: string, options: CookieOptions): string {
  const url = new URL(request.url)
  const secure = url.protocol === 'https:' || !isLoopbackHost(url.hostname)
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAge}`,
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
    `SameSite=${options.sameSite}`,
  ].join('; ')
}
