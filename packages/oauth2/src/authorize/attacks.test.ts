import { describe, expect, it } from 'vitest'
import {
  AUTHORIZE,
  codeServer,
  hiddenFields,
  loginForm,
  NATIVE_REDIRECT,
  pkce,
  redirectParams,
  SPA_REDIRECT,
  spaQuery,
} from '../test-support/code-flow.js'
import { basic, frozenClock, ISSUER, makeAuth, post } from '../test-support/fixtures.js'

const query = (extra: Record<string, string> = {}) => spaQuery({ state: 'st', ...extra })

const spaRedeem = async (code: string, extra: Record<string, string> = {}) => ({
  code,
  redirect_uri: SPA_REDIRECT,
  code_verifier: (await pkce()).verifier,
  client_id: 'spa',
  ...extra,
})

async function expectInvalidGrant(response: Response) {
  expect(response.status).toBe(400)
  expect(await response.json()).toEqual({
    error: 'invalid_grant',
    error_description: 'The authorization code is invalid, expired, spent or not issued to this client',
  })
}

/** An error page: 400, no Location, the anti-framing headers; answers its HTML. */
async function expectErrorPage(response: Response, status = 400) {
  expect(response.status).toBe(status)
  expect(response.headers.get('location')).toBeNull()
  expect(response.headers.get('content-type')).toBe('text/html;charset=utf-8')
  expect(response.headers.get('x-frame-options')).toBe('DENY')
  return response.text()
}

describe('code reuse (RFC 6749 §4.1.2)', () => {
  it('refuses a second redemption and revokes the tokens the first one issued, refresh token included', async () => {
    const server = await codeServer()
    const code = (await server.authorizeAs(await query())).get('code')!
    const first = await server.redeem(await spaRedeem(code))
    expect(first.status).toBe(200)
    const tokens = (await first.json()) as { access_token: string; refresh_token: string }
    await expect(server.auth.verifyToken(tokens.access_token)).resolves.toMatchObject({ subject: 'alice' })

    await expectInvalidGrant(await server.redeem(await spaRedeem(code)))
    await expect(server.auth.verifyToken(tokens.access_token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
    const refresh = await server.token(
      post({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'spa' }),
    )
    expect(refresh.status).toBe(400)
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('lets exactly one of 20 concurrent redemptions of one code get tokens, and revokes them', async () => {
    const server = await codeServer()
    const code = (await server.authorizeAs(await query())).get('code')!
    const form = await spaRedeem(code)
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.redeem(form)))
    const won = answers.filter((r) => r.status === 200)
    expect(won.length).toBeLessThanOrEqual(1)
    expect(answers.filter((r) => r.status === 400)).toHaveLength(20 - won.length)
    for (const response of won) {
      const { access_token } = (await response.json()) as { access_token: string }
      await expect(server.auth.verifyToken(access_token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    }
  })

  it('refuses a code past its 60 seconds', async () => {
    const clock = frozenClock()
    const server = await codeServer({ auth: await makeAuth(clock), clock: clock.now })
    const code = (await server.authorizeAs(await query())).get('code')!
    clock.advance(60)
    await expectInvalidGrant(await server.redeem(await spaRedeem(code)))
  })
})

describe('a code is bound to its client, redirect URI and challenge', () => {
  it('refuses the code to another public client, and burns it', async () => {
    const server = await codeServer()
    const code = (await server.authorizeAs(await query())).get('code')!
    await expectInvalidGrant(await server.redeem(await spaRedeem(code, { client_id: 'native' })))
    await expectInvalidGrant(await server.redeem(await spaRedeem(code)))
  })

  it('refuses the code to a confidential client authenticated with its secret', async () => {
    const server = await codeServer()
    const code = (await server.authorizeAs(await query())).get('code')!
    const { client_id: _, ...form } = await spaRedeem(code)
    await expectInvalidGrant(
      await server.redeem(form, { authorization: basic('web', 'web-secret-0123456789') }),
    )
  })

  it('refuses another redirect URI, and a missing one when the request named it', async () => {
    const server = await codeServer()
    const code = (await server.authorizeAs(await query())).get('code')!
    await expectInvalidGrant(
      await server.redeem(await spaRedeem(code, { redirect_uri: `${SPA_REDIRECT}/x` })),
    )
    const other = (await server.authorizeAs(await query())).get('code')!
    const { redirect_uri: _, ...withoutRedirect } = await spaRedeem(other)
    await expectInvalidGrant(await server.redeem(withoutRedirect))
  })

  it('refuses a missing verifier, a wrong one, the challenge itself and a malformed one', async () => {
    const server = await codeServer()
    const { challenge } = await pkce()
    for (const verifier of [undefined, (await pkce('b')).verifier, challenge, 'short']) {
      const code = (await server.authorizeAs(await query())).get('code')!
      const { code_verifier: _, ...form } = await spaRedeem(code)
      await expectInvalidGrant(
        await server.redeem(verifier === undefined ? form : { ...form, code_verifier: verifier }),
      )
    }
  })

  it('refuses a secret sent for a public client, and a confidential client without its secret', async () => {
    const server = await codeServer()
    const code = (await server.authorizeAs(await query())).get('code')!
    const withSecret = await server.redeem(await spaRedeem(code, { client_secret: 'guess' }))
    expect(withSecret.status).toBe(401)
    expect(await withSecret.json()).toMatchObject({ error: 'invalid_client' })
    const confidential = await server.redeem({ code, client_id: 'web' })
    expect(confidential.status).toBe(401)
  })
})

describe('PKCE is required, S256 only (RFC 7636 §4.4.1, RFC 9700 §2.1.1)', () => {
  for (const [what, extra, description] of [
    ['plain', { code_challenge_method: 'plain' }, 'code_challenge_method must be S256'],
    ['no method (plain by default)', { code_challenge_method: '' }, 'code_challenge_method must be S256'],
    ['no challenge', { code_challenge: '' }, 'code_challenge is required (PKCE, RFC 7636)'],
    [
      'a challenge that is no S256 digest',
      { code_challenge: 'x'.repeat(42) },
      'code_challenge is not a valid S256 challenge',
    ],
  ] as const) {
    it(`redirects invalid_request with state and iss for ${what}`, async () => {
      const server = await codeServer()
      const response = await server.get(await query(extra))
      expect(response.status).toBe(302)
      expect(redirectParams(response)).toEqual({
        error: 'invalid_request',
        error_description: description,
        state: 'st',
        iss: ISSUER,
      })
    })
  }

  it('answers the implicit grant (response_type=token) with unsupported_response_type', async () => {
    const server = await codeServer()
    const response = await server.get(await query({ response_type: 'token' }))
    expect(redirectParams(response).error).toBe('unsupported_response_type')
  })
})

describe('dpop_jkt, a code bound to a DPoP key (RFC 9449 §10)', () => {
  // A SHA-256 thumbprint is 32 bytes: 43 base64url characters, the last of them carrying 2 zero bits.
  for (const [what, dpop_jkt] of [
    ['42 characters', 'A'.repeat(42)],
    ['44 characters', 'A'.repeat(44)],
    ['base64 padding', `${'A'.repeat(42)}=`],
    ['base64, not base64url', `${'A'.repeat(41)}+A`],
    ['a last character no 32-byte value encodes to', `${'A'.repeat(42)}B`],
  ] as const) {
    it(`redirects invalid_request with state and iss for a dpop_jkt of ${what}`, async () => {
      const server = await codeServer()
      const response = await server.get(await query({ dpop_jkt }))
      expect(response.status).toBe(302)
      expect(redirectParams(response)).toEqual({
        error: 'invalid_request',
        error_description: 'dpop_jkt is not a JWK SHA-256 thumbprint (RFC 9449 §10)',
        state: 'st',
        iss: ISSUER,
      })
    })
  }

  it('redirects invalid_request for a repeated dpop_jkt', async () => {
    const server = await codeServer()
    const jkt = 'A'.repeat(43)
    const response = await server.get(
      `${new URLSearchParams(await query({ dpop_jkt: jkt }))}&dpop_jkt=${jkt}`,
    )
    expect(redirectParams(response)).toEqual({
      error: 'invalid_request',
      error_description: 'Request parameters must not be repeated',
      state: 'st',
      iss: ISSUER,
    })
  })

  it("refuses a consent post whose request had the client's dpop_jkt swapped for another key's: 403, no code", async () => {
    const server = await codeServer()
    const consent = await server.login(await query({ dpop_jkt: 'A'.repeat(43) }))
    const fields = hiddenFields(await consent.text())
    expect(fields.request).toContain(`dpop_jkt=${'A'.repeat(43)}`)
    const swapped = fields.request!.replace(`dpop_jkt=${'A'.repeat(43)}`, `dpop_jkt=${'Q'.repeat(43)}`)
    const response = await server.submit({ ...fields, request: swapped, decision: 'allow' })
    const html = await expectErrorPage(response, 403)
    expect(html).toContain('This form was not sent from this site, or it has expired.')
  })

  it('refuses a login post whose request had its dpop_jkt removed: 403, no session', async () => {
    const server = await codeServer()
    const login = await server.get(await query({ dpop_jkt: 'A'.repeat(43) }))
    const fields = loginForm(await login.text())
    const response = await server.submit({
      ...fields,
      request: fields.request!.replace(`&dpop_jkt=${'A'.repeat(43)}`, ''),
    })
    await expectErrorPage(response, 403)
    expect(server.jar.get('covet_session')).toBeUndefined()
  })
})

describe('open redirects: an untrusted redirect URI gets an error page, never a redirect', () => {
  const attempts = [
    'https://evil.example/callback',
    `${SPA_REDIRECT}/../../evil`,
    `${SPA_REDIRECT}?next=https://evil.example`,
    `${SPA_REDIRECT}#x`,
    'https://spa.example.test.evil.example/callback',
    'https://spa.example.test@evil.example/callback',
    'HTTPS://SPA.EXAMPLE.TEST/callback',
    `${SPA_REDIRECT}/`,
    'javascript:alert(1)//',
  ]
  for (const redirect_uri of attempts) {
    it(`shows a page for ${redirect_uri}`, async () => {
      const server = await codeServer()
      await expectErrorPage(await server.get(await query({ redirect_uri, response_type: 'token' })))
    })
  }

  for (const redirect_uri of [
    'http://127.0.0.1.evil.example/callback',
    'http://127.0.0.1@evil.example/callback',
    'http://127.0.0.1:8080@evil.example/callback',
    'http://localhost:8080/callback',
    'http://[::1]:8080/callback',
    'http://127.0.0.1:8080/callback/other',
    'http://127.0.0.1:99999/callback',
    'https://127.0.0.1:8080/callback',
  ]) {
    it(`shows a page for the native client's ${redirect_uri}`, async () => {
      const server = await codeServer()
      await expectErrorPage(await server.get(await query({ client_id: 'native', redirect_uri })))
    })
  }

  it("accepts any port on the native client's loopback redirect (RFC 8252 §7.3)", async () => {
    const server = await codeServer()
    const params = await server.authorizeAs(
      await query({ client_id: 'native', redirect_uri: 'http://127.0.0.1:51234/callback', scope: 'read' }),
    )
    expect(params.get('code')).toMatch(/^[\w-]{43}$/)
    const ported = await server.redeem({
      code: params.get('code')!,
      redirect_uri: 'http://127.0.0.1:51234/callback',
      code_verifier: (await pkce()).verifier,
      client_id: 'native',
    })
    expect(ported.status).toBe(200)
    expect(NATIVE_REDIRECT).toBe('http://127.0.0.1/callback')
  })

  it('shows a page for an unknown client, a missing client_id and a repeated redirect_uri', async () => {
    const server = await codeServer()
    await expectErrorPage(await server.get(await query({ client_id: 'nobody' })))
    await expectErrorPage(await server.get(await query({ client_id: '' })))
    const search = `${new URLSearchParams(await query())}&redirect_uri=${encodeURIComponent('https://evil.example/')}`
    await expectErrorPage(await server.get(search))
  })

  it('uses the one registered redirect URI when the request names none', async () => {
    const server = await codeServer()
    const response = await server.get(await query({ redirect_uri: '', prompt: 'none' }))
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/spa\.example\.test\/callback\?error=login_required&/,
    )
  })
})

describe('forged and tampered forms', () => {
  it('refuses a login post whose request was tampered with (another state): 403, no redirect', async () => {
    const server = await codeServer()
    const login = await server.get(await query())
    const fields = loginForm(await login.text())
    const tampered = fields.request!.replace('state=st', 'state=attacker')
    const response = await server.submit({ ...fields, request: tampered })
    const html = await expectErrorPage(response, 403)
    expect(html).toContain('This form was not sent from this site, or it has expired.')
    expect(server.jar.get('covet_session')).toBeUndefined()
  })

  it('refuses a login post without the CSRF cookie (a cross-site form) and with a token from another browser', async () => {
    const victim = await codeServer()
    const attacker = await codeServer({ auth: victim.auth })
    const page = await attacker.get(await query())
    const fields = loginForm(await page.text(), 'bob')
    // The victim's browser has no covet_csrf cookie of the attacker's: a forged login fails.
    await expectErrorPage(await victim.submit(fields), 403)
    await victim.get(await query())
    await expectErrorPage(await victim.submit(fields), 403)
    await expectErrorPage(await victim.submit({ ...fields, csrf: '' }), 403)
  })

  it("refuses a consent post carrying another session's token, and one with no session", async () => {
    const alice = await codeServer()
    const consent = await alice.login(await query())
    const aliceConsent = hiddenFields(await consent.text())

    const mallory = await codeServer({ auth: alice.auth })
    await mallory.login(await query(), 'bob')
    await expectErrorPage(await mallory.submit({ ...aliceConsent, decision: 'allow' }), 403)

    const stranger = await codeServer({ auth: alice.auth })
    const response = await stranger.submit({ ...aliceConsent, decision: 'allow' })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Your session has ended. Sign in again.')
  })

  it('refuses a session cookie with a forged signature', async () => {
    const server = await codeServer()
    await server.authorizeAs(await query())
    const [id] = server.jar.get('covet_session')!.split('.')
    const response = await server.get(await query(), { cookie: `covet_session=${id}.${'A'.repeat(43)}` })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('>Sign in</button>')
  })
})

describe('clickjacking and caching headers on every page', () => {
  it('sends frame-ancestors none, X-Frame-Options DENY, no-store and no-referrer on login, consent and error pages', async () => {
    const server = await codeServer()
    const login = await server.get(await query())
    const consent = await server.submit(loginForm(await login.clone().text()))
    const error = await server.get(await query({ client_id: 'nobody' }))
    for (const response of [login, consent, error]) {
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; form-action 'self'( https:\/\/spa\.example\.test)?; frame-ancestors 'none'; base-uri 'none'$/,
      )
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
    expect(login.headers.get('content-security-policy')).toContain(
      "form-action 'self' https://spa.example.test;",
    )
  })

  it('sends no-store and no-referrer on the redirect carrying the code', async () => {
    const server = await codeServer()
    await server.authorizeAs(await query())
    const redirect = await server.get(await query())
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('cache-control')).toBe('no-store')
    expect(redirect.headers.get('referrer-policy')).toBe('no-referrer')
  })
})

describe('HTML injection through what the pages echo', () => {
  const SCRIPT = '"><script>alert(1)</script>'

  it('escapes a hostile state in the login page and returns it untouched in the redirect', async () => {
    const server = await codeServer()
    const login = await server.get(await query({ state: SCRIPT }))
    const html = await login.text()
    expect(html).not.toContain('<script>')
    expect(hiddenFields(html).request).toContain(new URLSearchParams({ state: SCRIPT }).toString())
    const params = await server.authorizeAs(await query({ state: SCRIPT }))
    expect(params.get('state')).toBe(SCRIPT)
  })

  it('escapes a hostile client_id on the error page', async () => {
    const server = await codeServer()
    const html = await expectErrorPage(await server.get(await query({ client_id: SCRIPT })))
    expect(html).not.toContain('<script>')
  })

  it('refuses a hostile scope as invalid_scope before any page shows it', async () => {
    const server = await codeServer()
    const response = await server.get(await query({ scope: 'read <img/src=x>' }))
    expect(response.status).toBe(302)
    expect(redirectParams(response).error).toBe('invalid_scope')
  })

  it('escapes the username typed into a failed login', async () => {
    const server = await codeServer()
    const again = await server.login(await query(), SCRIPT, 'x')
    const html = await again.text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
  })
})

describe('mix-up (RFC 9207)', () => {
  it('puts iss, the issuer identifier, on codes and on every error redirect', async () => {
    const server = await codeServer()
    const code = await server.authorizeAs(await query())
    expect(code.get('iss')).toBe(ISSUER)
    const refusals: Record<string, string>[] = [
      { response_type: 'token' },
      { scope: 'admin' },
      { prompt: 'none login' },
    ]
    for (const extra of refusals) {
      const response = await server.get(await query(extra))
      expect(redirectParams(response).iss).toBe(ISSUER)
    }
  })
})

describe("the login page shares the password grant's failed-login limiter", () => {
  it("refuses the login page with 429 once the password grant spent the username's 10 attempts", async () => {
    const server = await codeServer()
    for (let i = 0; i < 10; i++) {
      const response = await server.token(
        post(
          { grant_type: 'password', username: 'alice', password: 'wrong' },
          { basic: ['web', 'web-secret-0123456789'] },
        ),
      )
      expect(response.status).toBe(400)
    }
    const refused = await server.login(await query())
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await refused.text()).toContain('Too many failed attempts. Wait a while, then try again.')
    expect(AUTHORIZE).toBe(`${ISSUER}/oauth/authorize`)
  })
})
