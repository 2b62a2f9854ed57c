/**
 * The demo's single-page app, served at `/app/`: plain HTML, a stylesheet and one small script
 * (no build step, no dependency). It runs the authorization code flow with PKCE as a public
 * client (`demo-spa`), keeps its tokens in memory only, and shows `GET /me`.
 */

export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Covet demo app</title>
<link rel="stylesheet" href="/app/app.css">
<script type="module" src="/app/app.js"></script>
</head>
<body>
<main>
  <h1>Covet demo app</h1>
  <p id="status" role="status">You are not signed in.</p>
  <button type="button" id="login">Log in</button>
  <section id="profile" hidden>
    <h2>GET /me</h2>
    <pre id="me"></pre>
  </section>
</main>
</body>
</html>
`

export const APP_CSS = `*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f4f6;color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:32rem;margin:1rem;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{margin:0 0 .5rem;font-size:1.5rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
button{padding:.65rem 1.25rem;border:0;border-radius:.5rem;font:inherit;font-weight:600;cursor:pointer;background:#1d4ed8;color:#fff}
button:focus{outline:3px solid #93c5fd;outline-offset:1px}
pre{margin:0;padding:1rem;background:#111827;color:#e5e7eb;border-radius:.5rem;overflow:auto;font-size:.9rem}
.error{color:#991b1b}
`

export const APP_JS = `// Authorization code flow with PKCE (RFC 7636) for a public client; tokens stay in this page's memory.
const CLIENT_ID = 'demo-spa'
const REDIRECT_URI = new URL('/app/callback', location.origin).href
const SCOPE = 'profile posts:read posts:write'
const PENDING = 'covet-demo-authorization'

const status = document.getElementById('status')
const button = document.getElementById('login')

/** base64url without padding (RFC 4648 §5), as PKCE and state need it. */
function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

async function discover() {
  const response = await fetch('/.well-known/oauth-authorization-server')
  if (!response.ok) throw new Error('discovery failed: ' + response.status)
  return response.json()
}

async function logIn() {
  const server = await discover()
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)))
  // Only the verifier and state survive the round trip to the login page, for this tab only.
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }))
  const url = new URL(server.authorization_endpoint)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString()
  location.assign(url.href)
}

async function finish() {
  const params = new URLSearchParams(location.search)
  // The code leaves the address bar and the history at once.
  history.replaceState(null, '', '/app/')
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null')
  sessionStorage.removeItem(PENDING)
  const server = await discover()
  if (pending === null || params.get('state') !== pending.state) throw new Error('The state does not match this tab')
  // RFC 9207: the response must come from the server this tab sent the user to (mix-up defence).
  if (params.get('iss') !== server.issuer) throw new Error('The response names another issuer')
  if (params.has('error')) throw new Error('Sign-in ended: ' + params.get('error'))
  const response = await fetch(server.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: pending.verifier,
      client_id: CLIENT_ID,
    }),
  })
  const tokens = await response.json()
  if (!response.ok) throw new Error('The token endpoint refused the code: ' + tokens.error)
  const me = await fetch('/me', { headers: { authorization: 'Bearer ' + tokens.access_token } })
  const who = await me.json()
  status.textContent = 'Signed in as ' + who.sub + '.'
  document.getElementById('me').textContent = JSON.stringify(who, null, 2)
  document.getElementById('profile').hidden = false
  button.hidden = true
}

button.addEventListener('click', () => {
  logIn().catch(fail)
})

function fail(error) {
  status.textContent = error.message
  status.className = 'error'
}

if (location.pathname === '/app/callback') finish().catch(fail)
`
