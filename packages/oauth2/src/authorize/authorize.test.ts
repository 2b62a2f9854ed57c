import { describe, expect, it } from 'vitest'
import {
  codeServer,
  loginForm,
  pkce,
  redirectParams,
  SPA_REDIRECT,
  spaQuery,
} from '../test-support/code-flow.js'
import { ISSUER } from '../test-support/fixtures.js'

const query = (extra: Record<string, string> = {}) =>
  spaQuery({ state: 'state-123', scope: 'read write', ...extra })

describe('the authorization code flow, from the first GET to the tokens', () => {
  it('shows a login page, then a consent page, then redirects with code, state and iss', async () => {
    const server = await codeServer()
    const login = await server.get(await query())
    expect(login.status).toBe(200)
    expect(login.headers.get('content-type')).toBe('text/html;charset=utf-8')
    const loginHtml = await login.text()
    expect(loginHtml).toContain('<label for="username">Username</label>')
    expect(loginHtml).toContain('<label for="password">Password</label>')
    expect(loginHtml).toContain('>Sign in</button>')
    expect(loginHtml).toContain('<strong>Example SPA</strong>')
    expect(loginHtml).not.toContain('<script')

    const consent = await server.submit(loginForm(loginHtml))
    expect(consent.status).toBe(200)
    const consentHtml = await consent.text()
    expect(consentHtml).toContain('<li>Read your data</li>')
    expect(consentHtml).toContain('<li>Change your data</li>')
    expect(consentHtml).toContain('>Allow</button>')
    expect(consentHtml).toContain('>Deny</button>')
    expect(consentHtml).toContain('Signed in as alice')
    const session = server.jar.get('covet_session')
    expect(session).toMatch(/^[\w-]{43}\.[\w-]{43}$/)

    const done = await server.decide(consentHtml, 'allow')
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
    const consent = await server.login(await query(), 'bob')
    const cookie = consent.headers.getSetCookie().find((c) => c.startsWith('covet_session='))!
    expect(cookie).toMatch(
      /^covet_session=[\w-]{43}\.[\w-]{43}; Path=\/oauth\/authorize; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/,
    )
  })

  it('skips the login page on a second authorization and the consent page once allowed', async () => {
    const server = await codeServer()
    await server.authorizeAs(await query())
    const again = await server.get(await query({ state: 'second' }))
    expect(again.status).toBe(302)
    const params = redirectParams(again)
    expect(params.state).toBe('second')
    expect(params.code).toMatch(/^[\w-]{43}$/)
    expect(params.iss).toBe(ISSUER)
  })

  it('shows the login page again with prompt=login, though a session exists', async () => {
    const server = await codeServer()
    await server.authorizeAs(await query())
    const again = await server.get(await query({ prompt: 'login' }))
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('>Sign in</button>')
  })

  it('answers prompt=none without a session with login_required at the redirect URI, showing no page', async () => {
    const server = await codeServer()
    const response = await server.get(await query({ prompt: 'none' }))
    expect(response.status).toBe(302)
    expect(redirectParams(response)).toEqual({
      error: 'login_required',
      error_description: 'The user is not signed in',
      state: 'state-123',
      iss: ISSUER,
    })
  })

  it('answers prompt=none with a session but no consent for the scopes with consent_required', async () => {
    const server = await codeServer()
    await server.authorizeAs(await query({ scope: 'read' }))
    const response = await server.get(await query({ prompt: 'none', scope: 'read write' }))
    expect(redirectParams(response).error).toBe('consent_required')
    const allowed = await server.get(await query({ prompt: 'none', scope: 'read' }))
    expect(redirectParams(allowed).code).toMatch(/^[\w-]{43}$/)
  })

  it('redirects Deny as access_denied with state and iss', async () => {
    const server = await codeServer()
    const consent = await server.login(await query())
    const denied = await server.decide(consent, 'deny')
    expect(denied.status).toBe(303)
    expect(redirectParams(denied)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied the request',
      state: 'state-123',
      iss: ISSUER,
    })
  })

  it('shows the login page again after a wrong password, with the username kept and no session', async () => {
    const server = await codeServer()
    const again = await server.login(await query(), 'alice', 'wrong')
    expect(again.status).toBe(400)
    const html = await again.text()
    expect(html).toContain('role="alert">The username or password is wrong.</p>')
    expect(html).toContain('value="alice"')
    expect(server.jar.get('covet_session')).toBeUndefined()
  })
})
