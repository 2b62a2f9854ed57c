import { isCovetError, respondWithError } from '@covet/core'
import { OAuthError } from '../errors.js'
import { resolveLoginLimits } from '../grants/limits.js'
import { countLoginAttempt, type LoginAttempt } from '../grants/throttle.js'
import { isBodyTooLarge } from '../lib/failure.js'
import { readForm } from '../lib/form.js'
import { issueCode } from './codes.js'
import { Csrf } from './csrf.js'
import { guardResponse, htmlResponse, redirectResponse } from './headers.js'
import { type AuthorizationEndpointOptions, type RenderPage, resolveOptions } from './options.js'
import {
  type ConsentPage,
  consentPage,
  errorPage,
  type LoginPage,
  loginPage,
  type ScopeDescription,
} from './pages.js'
import { recordsOf } from './records.js'
import { type AuthorizationRequest, parseAuthorizationRequest } from './request.js'
import { type LoginSession, Sessions } from './session.js'
import { createSigner } from './signer.js'

export type { AuthorizationEndpointOptions } from './options.js'

/** What one exchange with the browser carries along: the request, the cookies to set. */
interface Turn {
  readonly http: Request
  readonly auth: AuthorizationRequest
  /** 302 for the GET, 303 after a form post (RFC 9700 §4.11). */
  readonly status: 302 | 303
  readonly cookies: string[]
  readonly path: string
}

/**
 * The authorization endpoint (RFC 6749 §4.1 with PKCE, RFC 7636) as a Fetch handler, for GET
 * (the request) and POST (its login and consent forms). Only `response_type=code` with an `S256`
 * challenge; `dpop_jkt` binds the code to a DPoP key (RFC 9449 §10); redirect URIs compared
 * exactly (loopback ports aside, RFC 8252 §7.3); `iss` on every response (RFC 9207); an unknown
 * client or redirect URI gets an error page, never a redirect.
 * Users sign in with `verifyUser`, counted by the password grant's failed-login limiters; a
 * signed session cookie skips the login page next time (`prompt=login` forces it, `prompt=none`
 * never shows a page). Codes and sessions live in `auth.revocation` (memory or Redis).
 *
 * @example
 * const authorize = createAuthorizationEndpoint({ auth, clients, verifyUser, scopeDescriptions: { read: 'Read your data' } })
 * // route GET and POST /oauth/authorize to it; the token endpoint redeems its codes
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export function createAuthorizationEndpoint(
  options: AuthorizationEndpointOptions,
): (request: Request) => Promise<Response> {
  const config = resolveOptions(options)
  const records = recordsOf(config.auth.revocation)
  const signer = createSigner(config.cookieSecret)
  const sessions = new Sessions(records, signer, config.sessionTtl)
  const csrf = new Csrf(signer)
  const limits = resolveLoginLimits(config.auth, config)
  const now = () => Math.floor(config.clock() / 1000)

  const describe = (scopes: readonly string[]): ScopeDescription[] =>
    scopes.map((scope) => ({ scope, description: config.scopeDescriptions?.[scope] ?? scope }))
  const clientOf = (auth: AuthorizationRequest) => ({
    id: auth.client.clientId,
    name: auth.client.name ?? auth.client.clientId,
  })

  async function render<Page>(
    turn: Turn,
    custom: RenderPage<Page> | undefined,
    builtIn: (page: Page) => string,
    page: Page,
    status: number,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const html = custom === undefined ? builtIn(page) : await custom(page)
    if (html instanceof Response) return guardResponse(html, turn.cookies)
    const redirectUri = turn.auth.redirectUri
    return htmlResponse(html, {
      status,
      redirectUri,
      cookies: turn.cookies,
      headers,
      custom: custom !== undefined,
    })
  }

  function redirect(turn: Turn, params: Record<string, string | undefined>): Response {
    return redirectResponse(
      turn.auth.redirectUri,
      { ...params, state: turn.auth.state },
      config.issuer,
      turn.status,
      turn.cookies,
    )
  }

  function refuse(turn: Turn, error: OAuthError): Response {
    return redirect(turn, { error: error.error, error_description: error.description })
  }

  async function showLogin(
    turn: Turn,
    error?: LoginPage['error'],
    username?: string,
    status = 200,
    headers = {},
  ) {
    const { nonce, cookie } = csrf.nonce(turn.http, turn.path)
    if (cookie !== undefined) turn.cookies.push(cookie)
    const fields = { request: turn.auth.query, csrf: await csrf.loginToken(nonce, turn.auth.query) }
    const page: LoginPage = {
      client: clientOf(turn.auth),
      scopes: describe(turn.auth.scopes),
      fields,
      ...(error === undefined ? {} : { error }),
      ...(username === undefined ? {} : { username }),
    }
    return render(turn, config.renderLogin, loginPage, page, status, headers)
  }

  async function showConsent(turn: Turn, session: LoginSession) {
    const fields = { request: turn.auth.query, csrf: await csrf.consentToken(session.id, turn.auth.query) }
    const page: ConsentPage = {
      client: clientOf(turn.auth),
      scopes: describe(turn.auth.scopes),
      subject: session.user.subject,
      fields,
    }
    return render(turn, config.renderConsent, consentPage, page, 200)
  }

  /** RFC 6749 §4.1.2: a code bound to the client, redirect URI, challenge, DPoP key, scopes and user. */
  async function grantCode(turn: Turn, session: LoginSession): Promise<Response> {
    const { auth } = turn
    const code = await issueCode(
      records,
      {
        clientId: auth.client.clientId,
        redirectUri: auth.redirectUri,
        redirectUriSent: auth.redirectUriSent,
        codeChallenge: auth.codeChallenge,
        ...(auth.dpopJkt === undefined ? {} : { dpopJkt: auth.dpopJkt }),
        scopes: auth.scopes,
        user: session.user,
      },
      config.codeTtl,
      now(),
    )
    return redirect(turn, { code })
  }

  const consented = (session: LoginSession, auth: AuthorizationRequest) => {
    const allowed = session.consents[auth.client.clientId]
    return allowed !== undefined && auth.scopes.every((scope) => allowed.includes(scope))
  }

  /** A signed-in user: the code at once if they allowed these scopes before, else the consent page. */
  function afterLogin(turn: Turn, session: LoginSession): Promise<Response> | Response {
    if (consented(session, turn.auth) && !turn.auth.prompt.consent) return grantCode(turn, session)
    // OpenID Connect Core §3.1.2.6: prompt=none never shows a page.
    if (turn.auth.prompt.none)
      return refuse(turn, new OAuthError('consent_required', 'The user has not allowed this client'))
    return showConsent(turn, session)
  }

  async function onGet(request: Request, turn: Turn): Promise<Response> {
    const session = await sessions.read(request, now())
    if (session === undefined || turn.auth.prompt.login) {
      if (turn.auth.prompt.none)
        return refuse(turn, new OAuthError('login_required', 'The user is not signed in'))
      return showLogin(turn)
    }
    return afterLogin(turn, session)
  }

  async function onLogin(turn: Turn, form: ReadonlyMap<string, string>): Promise<Response> {
    const username = form.get('username')
    const password = form.get('password')
    if (username === undefined || password === undefined)
      return showLogin(turn, 'missing_fields', username, 400)
    let attempt: LoginAttempt
    try {
      attempt = await countLoginAttempt(limits, turn.auth.client.clientId, username, turn.http)
    } catch (error) {
      if (!(error instanceof OAuthError) || error.status !== 429) throw error
      return showLogin(turn, 'too_many_attempts', username, 429, { ...error.headers })
    }
    const user = await config.verifyUser(username, password, {
      clientId: turn.auth.client.clientId,
      scopes: turn.auth.scopes,
    })
    if (!user) return showLogin(turn, 'invalid_credentials', username, 400)
    await attempt.succeeded()
    const { session, cookie } = await sessions.create(turn.http, user, now(), turn.path)
    turn.cookies.push(cookie)
    return afterLogin(turn, session)
  }

  async function onConsent(turn: Turn, form: ReadonlyMap<string, string>): Promise<Response> {
    const session = await sessions.read(turn.http, now())
    if (session === undefined) return showLogin(turn, 'session_expired', undefined, 400)
    if (!(await csrf.checkConsent(session.id, form.get('csrf'), turn.auth.query))) return forged(turn)
    const decision = form.get('decision')
    // RFC 6749 §4.1.2.1: the resource owner denied the request.
    if (decision === 'deny')
      return refuse(turn, new OAuthError('access_denied', 'The user denied the request'))
    if (decision !== 'allow') return forged(turn)
    const allowed = new Set([...(session.consents[turn.auth.client.clientId] ?? []), ...turn.auth.scopes])
    const updated = {
      ...session,
      consents: { ...session.consents, [turn.auth.client.clientId]: [...allowed] },
    }
    await sessions.save(updated)
    return grantCode(turn, updated)
  }

  function forged(turn: Turn): Promise<Response> {
    return htmlResponse(errorPage('This form was not sent from this site, or it has expired.'), {
      status: 403,
      redirectUri: turn.auth.redirectUri,
      cookies: turn.cookies,
    })
  }

  async function onPost(request: Request, path: string): Promise<Response> {
    const form = await readForm(request)
    const query = form.get('request') ?? ''
    const parsed = await parseAuthorizationRequest(query, config.registry)
    if (parsed.kind === 'page') return htmlResponse(errorPage(parsed.message), { status: 400 })
    if (parsed.kind === 'redirect') {
      return redirectResponse(parsed.redirectUri, errorParams(parsed.error, parsed.state), config.issuer, 303)
    }
    const turn: Turn = { http: request, auth: parsed.request, status: 303, cookies: [], path }
    const action = form.get('action')
    if (action === 'login') {
      if (!(await csrf.checkLogin(request, form.get('csrf'), query))) return forged(turn)
      return onLogin(turn, form)
    }
    if (action === 'consent') return onConsent(turn, form)
    return forged(turn)
  }

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const path = /^\/[\w\-./~%]*$/.test(url.pathname) ? url.pathname : '/'
    if (request.method === 'POST') return onPost(request, path)
    const query = url.search.slice(1)
    const parsed = await parseAuthorizationRequest(query, config.registry)
    if (parsed.kind === 'page') return htmlResponse(errorPage(parsed.message), { status: 400 })
    if (parsed.kind === 'redirect') {
      return redirectResponse(parsed.redirectUri, errorParams(parsed.error, parsed.state), config.issuer, 302)
    }
    return onGet(request, { http: request, auth: parsed.request, status: 302, cookies: [], path })
  }

  return async function authorizationEndpoint(request: Request): Promise<Response> {
    // RFC 6749 §3.1: GET must be supported; POST carries this endpoint's own forms.
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'POST') {
      return htmlResponse(errorPage('This address accepts only GET and POST.'), {
        status: 405,
        headers: { allow: 'GET, HEAD, POST' },
      })
    }
    try {
      return await answer(request)
    } catch (error) {
      if (isBodyTooLarge(error)) return respondWithError(request, error)
      if (error instanceof OAuthError && error.status === 400) {
        return htmlResponse(errorPage('The form could not be read.'), { status: 400 })
      }
      const outage = isCovetError(error) && error.status === 503
      config.reportError?.(error)
      return htmlResponse(errorPage('Signing in is not possible right now. Try again later.'), {
        status: outage ? 503 : 500,
      })
    }
  }
}

function errorParams(error: OAuthError, state: string | undefined): Record<string, string | undefined> {
  return { error: error.error, error_description: error.description, state }
}
