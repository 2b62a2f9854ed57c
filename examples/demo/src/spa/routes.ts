import { APP_CSS, APP_JS, INDEX_HTML } from './assets.js'

// The page loads only its own script and stylesheet; it may be framed by nobody, and its address
// (which briefly holds the code) is never sent as a Referer (RFC 9700 §4.2.4).
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
}

const FILES: Record<string, [string, string]> = {
  '/app/': ['text/html;charset=utf-8', INDEX_HTML],
  '/app/callback': ['text/html;charset=utf-8', INDEX_HTML],
  '/app/app.js': ['text/javascript;charset=utf-8', APP_JS],
  '/app/app.css': ['text/css;charset=utf-8', APP_CSS],
}

/** `GET /app/…`: the single-page app's files; `undefined` for any other path. */
export function spaResponse(pathname: string): Response | undefined {
  if (pathname === '/app') return new Response(null, { status: 308, headers: { location: '/app/' } })
  const file = FILES[pathname]
  if (file === undefined) return undefined
  return new Response(file[1], { headers: { 'content-type': file[0], ...HEADERS } })
}
