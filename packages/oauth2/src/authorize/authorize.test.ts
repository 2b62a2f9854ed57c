import { describe, expect, it } from 'vitest'
import { codeServer, hiddenFields, PASSWORDS, pkce, SPA_REDIRECT } from '../test-support/code-flow.js'
import { ISSUER } from '../test-support/fixtures.js'

async function spaQuery(extra: Record<string, string> = {}) {
  const { challenge } = await pkce()
  return {
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: SPA_REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'state-123',
    scope: 'read write',
    ...extra,
  }
}

describe('the authorization code flow, from the first GET to the tokens', () => {
  it('shows a login page, then a consent page, then redirects with code, state and iss', async () => {
    const server = await codeServer()
    const login = await server.get(await spaQuery())
    expect(login.status).toBe(200)
    expect(login.headers.get('content-type')).toBe('text/html;charset=utf-8')
    const loginHtml = await login.text()
    expect(loginHtml).toContain('<label for="username">Username</label>')
    expect(loginHtml).toContain('<label for="password">Password</label>')
    expect(loginHtml).toContain('>Sign in</button>')
    expect(loginHtml).toContain('<strong>Example SPA</strong>')
    expect(loginHtml).not.toContain('<script')

    const consent = await server.submit({
      ...hiddenFields(loginHtml),
      action: 'login',
      username: 'alice',
      password: PASSWORDS.alice!,
    })
    expect(consent.status).toBe(200)
    const consentHtml = await consent.text()
    expect(consentHtml).toContain('<li>Read your data</li>')
    expect(consentHtml).toContain('<li>Change your data</li>')
    expect(consentHtml).toContain('>Allow</button>')
    expect(consentHtml).toContain('>Deny</button>')
    expect(consentHtml).toContain('Signed in as alice')
    const session = server.jar.get('covet_session')
    expect(session).toMatch(/^[\w-]{43}\.[\w-]{43}$/)

    const done = await server.submit({ ...hiddenFields(consentHtml), decision: 'allow' })
    expect(done.status).toBe(303)
    const location = new URL(done.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(SPA_REDIRECT)
    expect([...location.searchParams.keys()]).toEqual(['code', 'state', 'iss'])
    expect(location.searchParams.get('state')).toBe('state-123')
    expect(location.searchParams.get('iss')).toBe(ISSUER)
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/)

    const { verifier } = await pkce()
    const tokens = await server.redeem({
      code: location.searchParams.get('code')!,
      redirect_uri: SPA_REDIRECT,
      code_verifier: verifier,
      client_id: 'spa',
    })
    expect(tokens.status).toBe(200)
    expect(tokens.headers.get('cache-control')).toBe('no-store')
    const body = (await tokens.json()) as Record<string, unknown>
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'read write' })
    expect(body.refresh_token).toEqual(expect.any(String))
    const access = await server.auth.verifyToken(body.access_token as string)
    expect(access).toMatchObject({
      subject: 'alice',
      clientId: 'spa',
      roles: ['admin'],
      scopes: ['read', 'write'],
    })
  })

  it('sets the session cookie HttpOnly, SameSite=Lax, Secure on https, scoped to the endpoint path', async () => {
    const server = await codeServer()
    const login = await server.get(await spaQuery())
    const consent = await server.submit({
      ...hiddenFields(await login.text()),
      action: 'login',
      username: 'bob',
      password: PASSWORDS.bob!,
    })
    const cookie = consent.headers.getSetCookie().find((c) => c.startsWith('covet_session='))!
    expect(cookie).toMatch(
      /^covet_session=[\w-]{43}\.[\w-]{43}; Path=\/oauth\/authorize; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/,
    )
  })

  it('skips the login page on a second authorization and the consent page once allowed', async () => {
    const server = await codeServer()
    await server.authorizeAs(await spaQuery())
    const again = await server.get(await spaQuery({ state: 'second' }))
    expect(again.status).toBe(302)
    const location = new URL(again.headers.get('location')!)
    expect(location.searchParams.get('state')).toBe('second')
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/)
    expect(location.searchParams.get('iss')).toBe(ISSUER)
  })

  it('shows the login page again with prompt=login, though a session exists', async () => {
    const server = await codeServer()
    await server.authorizeAs(await spaQuery())
    const again = await server.get(await spaQuery({ prompt: 'login' }))
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('>Sign in</button>')
  })

  it('answers prompt=none without a session with login_required at the redirect URI, showing no page', async () => {
    const server = await codeServer()
    const response = await server.get(await spaQuery({ prompt: 'none' }))
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'login_required',
      error_description: 'The user is not signed in',
      state: 'state-123',
      iss: ISSUER,
    })
  })

  it('answers prompt=none with a session but no consent for the scopes with consent_required', async () => {
    const server = await codeServer()
    await server.authorizeAs(await spaQuery({ scope: 'read' }))
    const response = await server.get(await spaQuery({ prompt: 'none', scope: 'read write' }))
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('consent_required')
    const allowed = await server.get(await spaQuery({ prompt: 'none', scope: 'read' }))
    expect(new URL(allowed.headers.get('location')!).searchParams.get('code')).toMatch(/^[\w-]{43}$/)
  })

  it('redirects Deny as access_denied with state and iss', async () => {
    const server = await codeServer()
    const login = await server.get(await spaQuery())
    const consent = await server.submit({
      ...hiddenFields(await login.text()),
      action: 'login',
      username: 'alice',
      password: PASSWORDS.alice!,
    })
    const denied = await server.submit({ ...hiddenFields(await consent.text()), decision: 'deny' })
    expect(denied.status).toBe(303)
    expect(Object.fromEntries(new URL(denied.headers.get('location')!).searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied the request',
      state: 'state-123',
      iss: ISSUER,
    })
  })

  it('shows the login page again after a wrong password, with the username kept and no session', async () => {
    const server = await codeServer()
    const login = await server.get(await spaQuery())
    const again = await server.submit({
      ...hiddenFields(await login.text()),
      action: 'login',
      username: 'alice',
      password: 'wrong',
    })
    expect(again.status).toBe(400)
    const html = await again.text()
    expect(html).toContain('role="alert">The username or password is wrong.</p>')
    expect(html).toContain('value="alice"')
    expect(server.jar.get('covet_session')).toBeUndefined()
  })
})
