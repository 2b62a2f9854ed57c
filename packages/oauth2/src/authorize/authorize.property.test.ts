import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeServer, loginForm, NATIVE_REDIRECT, pkce, SPA_REDIRECT } from '../test-support/code-flow.js'

// Whatever a browser (or an attacker's link) sends the authorization endpoint, it never redirects
// anywhere but a client's registered redirect URI (RFC 9700 §4.11: no open redirect), never echoes
// markup into its pages, and never fails with a 5xx.

/** Markup that would run or restyle if a page echoed it unescaped. */
const INJECTIONS = [
  '"><b id=covetx>',
  "' onfocus=covetx autofocus '",
  '</title><b id=covetx>',
  '`><b id=covetx>',
  'javascript:covetx',
]
const hostile = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom('', ' ', '%', '%zz', '\u0000', '\r\nSet-Cookie: x=1', 'é', 'a'.repeat(5000)),
  fc.string({ maxLength: 20 }),
)
const REGISTERED = new Set([
  SPA_REDIRECT,
  NATIVE_REDIRECT,
  'com.example.app:/oauth',
  'https://web.example.test/cb',
])
const PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'dpop_jkt',
  'login_hint',
  'response_mode',
  'request',
] as const
const valid = async (): Promise<Record<string, string>> => ({
  response_type: 'code',
  client_id: 'spa',
  redirect_uri: SPA_REDIRECT,
  code_challenge: (await pkce()).challenge,
  code_challenge_method: 'S256',
  state: 'st',
})
// What happens to each parameter of a valid request: kept, dropped, replaced, or sent twice.
const change = fc.oneof(
  { arbitrary: fc.constant({ kind: 'keep' as const }), weight: 12 },
  fc.constant({ kind: 'drop' as const }),
  hostile.map((value) => ({ kind: 'replace' as const, value })),
  fc
    .constantFrom('native', 'web', 'batch', 'http://127.0.0.1:8123/callback', 'https://evil.example/cb')
    .map((value) => ({ kind: 'replace' as const, value })),
  hostile.map((value) => ({ kind: 'repeat' as const, value })),
)
const changes = fc.tuple(...PARAMETERS.map(() => change))
// LOGIN: the login page of a valid request, posted back with a hostile username (a failed login echoes it).
const method = fc.oneof(
  { arbitrary: fc.constant('GET'), weight: 4 },
  { arbitrary: fc.constant('LOGIN'), weight: 2 },
  fc.constantFrom('POST', 'PUT'),
)

/** Whether `location` leads to a registered redirect URI (a native client's loopback on any port, RFC 8252 §7.3). */
function isRegistered(location: string): boolean {
  const url = new URL(location)
  const target =
    url.protocol === 'com.example.app:' ? `${url.protocol}${url.pathname}` : `${url.origin}${url.pathname}`
  if (REGISTERED.has(target)) return true
  return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname === '/callback'
}

/**
 * The login page of `base` posted back with a username made of the plan's hostile values and a
 * wrong password; with a signed-in user there is no login page, and the request is `base` again.
 */
async function failedLogin(
  server: Awaited<ReturnType<typeof codeServer>>,
  base: Record<string, string>,
  plan: readonly { kind: string; value?: string }[],
): Promise<Response> {
  const page = await server.get(base)
  const html = await page.text()
  if (!html.includes('>Sign in</button>')) return server.get(base)
  const username = plan.map((step) => step.value ?? '').join('') || INJECTIONS[0]!
  return server.submit(loginForm(html, username, 'not the password'))
}

/** Sends `server` 300 generated requests and checks every answer. */
async function sendAnything(server: Awaited<ReturnType<typeof codeServer>>): Promise<void> {
  const base = await valid()
  await fc.assert(
    fc.asyncProperty(changes, method, async (plan, verb) => {
      const query = new URLSearchParams()
      PARAMETERS.forEach((name, index) => {
        const step = plan[index]!
        const kept = base[name]
        if (step.kind === 'keep' && kept !== undefined) query.append(name, kept)
        if (step.kind === 'replace') query.append(name, step.value)
        if (step.kind === 'repeat') {
          if (kept !== undefined) query.append(name, kept)
          query.append(name, step.value)
        }
      })
      const response =
        verb === 'LOGIN'
          ? await failedLogin(server, base, plan)
          : verb === 'GET'
            ? await server.get(query.toString())
            : await server.authorize(
                new Request('https://auth.example.test/oauth/authorize', {
                  method: verb,
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                  body: query.toString(),
                }),
              )
      const text = await response.text()
      expect(response.status).toBeLessThan(500)
      const location = response.headers.get('location')
      if (location !== null) expect(isRegistered(location)).toBe(true)
      if (response.headers.get('content-type')?.startsWith('text/html')) {
        expect(response.headers.get('x-frame-options')).toBe('DENY')
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(text).not.toContain('<b id=covetx')
        expect(text).not.toContain("' onfocus=covetx")
      }
    }),
    { numRuns: 300, seed: 20261206 },
  )
}

describe('the authorization endpoint, sent anything', () => {
  it('redirects only to registered redirect URIs, escapes what its login pages echo and never fails', async () => {
    await sendAnything(await codeServer())
  })

  it('does the same for a signed-in user, on its consent pages', async () => {
    const server = await codeServer()
    const consent = await server.login(await valid())
    expect(await consent.text()).toContain('Example SPA')
    await sendAnything(server)
  })
})
