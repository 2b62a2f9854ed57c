import { stylesHash } from './html.js'

/** RFC 9700 §4.16 (clickjacking), §4.2.4 (Referer leaks): every page and redirect carries these. */
const COMMON: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
}

/**
 * Where a form may post, and so where its redirect may lead (browsers apply `form-action` to the
 * redirect after a submission): this origin and the client's redirect URI's origin or scheme.
 */
function formAction(redirectUri: string | undefined): string {
  if (redirectUri === undefined || !URL.canParse(redirectUri)) return "'self'"
  const url = new URL(redirectUri)
  const target = url.origin !== 'null' ? url.origin : url.protocol
  return `'self' ${target}`
}

export interface PageOptions {
  readonly status: number
  /** The client's redirect URI, once validated. */
  readonly redirectUri?: string | undefined
  readonly cookies?: readonly string[]
  readonly headers?: Readonly<Record<string, string>>
  /** A page the host rendered: its styles are its own, so `default-src` is not restricted. */
  readonly custom?: boolean
}

/** An HTML page: no caching, no framing (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), no script. */
export async function htmlResponse(html: string, options: PageOptions): Promise<Response> {
  const policy = [
    ...(options.custom ? [] : ["default-src 'none'", `style-src ${await stylesHash()}`]),
    `form-action ${formAction(options.redirectUri)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
  const headers = new Headers({
    'content-type': 'text/html;charset=utf-8',
    'content-security-policy': policy,
    ...COMMON,
    ...options.headers,
  })
  for (const cookie of options.cookies ?? []) headers.append('set-cookie', cookie)
  return new Response(html, { status: options.status, headers })
}

/** A page the host built as a whole Response: the anti-framing and no-store headers are added if missing. */
export function guardResponse(response: Response, cookies: readonly string[]): Response {
  const headers = new Headers(response.headers)
  for (const [name, value] of Object.entries(COMMON)) if (!headers.has(name)) headers.set(name, value)
  const policy = headers.get('content-security-policy')
  if (policy === null || !/frame-ancestors/i.test(policy)) {
    headers.set('content-security-policy', `${policy === null ? '' : `${policy}; `}frame-ancestors 'none'`)
  }
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

/**
 * The authorization response (RFC 6749 §4.1.2, §4.1.2.1): a redirect to `redirectUri` keeping its
 * query, with `params` and `iss` (RFC 9207 §2) added; 303 after a form post (RFC 9700 §4.11).
 */
export function redirectResponse(
  redirectUri: string,
  params: Readonly<Record<string, string | undefined>>,
  issuer: string,
  status: 302 | 303,
  cookies: readonly string[] = [],
): Response {
  const url = new URL(redirectUri)
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.append(name, value)
  url.searchParams.append('iss', issuer)
  const headers = new Headers({ location: url.href, ...COMMON })
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return new Response(null, { status, headers })
}
