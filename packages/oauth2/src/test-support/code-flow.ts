import type { JwtAuth } from '@covet/core'
import { s256 } from '../authorize/pkce.js'
import { createClientRegistry } from '../clients/registry.js'
import type { ClientConfig } from '../clients/types.js'
import { createTokenEndpoint } from '../endpoints/token.js'
import { createAuthorizationEndpoint } from '../index.js'
import { ISSUER, makeAuth, verifyUser } from './fixtures.js'

export const AUTHORIZE = `${ISSUER}/oauth/authorize`
export const SPA_REDIRECT = 'https://spa.example.test/callback'
export const NATIVE_REDIRECT = 'http://127.0.0.1/callback'

export const CODE_CLIENTS: readonly ClientConfig[] = [
  {
    clientId: 'spa',
    name: 'Example SPA',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [SPA_REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read', 'write'],
    defaultScopes: ['read'],
  },
  {
    clientId: 'native',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [NATIVE_REDIRECT, 'com.example.app:/oauth'],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['read'],
  },
  {
    clientId: 'web',
    secret: 'web-secret-0123456789',
    redirectUris: ['https://web.example.test/cb'],
    grantTypes: ['authorization_code', 'password'],
    scopes: ['read'],
  },
  { clientId: 'batch', secret: 'batch-secret-0123456789', grantTypes: ['client_credentials'] },
]

/** A verifier of 43 characters and its S256 challenge. */
export async function pkce(seed = 'a') {
  const verifier = seed.repeat(43).slice(0, 43)
  return { verifier, challenge: await s256(verifier) }
}

/** An authorization request of the `spa` client with an S256 challenge from `pkce()`, and `extra` on top. */
export async function spaQuery(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: SPA_REDIRECT,
    code_challenge: (await pkce()).challenge,
    code_challenge_method: 'S256',
    ...extra,
  }
}

/** The query parameters of a redirect's Location, as one object. */
export function redirectParams(response: Response): Record<string, string> {
  return Object.fromEntries(new URL(response.headers.get('location')!).searchParams)
}

/** A browser's cookies for one site: what it was told to set, sent back as one Cookie header. */
export class CookieJar {
  readonly #cookies = new Map<string, string>()
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      if (/Max-Age=0/i.test(line)) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }
  header(): Record<string, string> {
    if (this.#cookies.size === 0) return {}
    return { cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
  }
  get(name: string): string | undefined {
    return this.#cookies.get(name)
  }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
}

/** The hidden inputs of a page's form, unescaped, as a browser would post them. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39|#96);/g, (e) => ENTITIES[e]!)
    fields[decode(match[1]!)] = decode(match[2]!)
  }
  return fields
}

/** A login page's form as a browser posts it: hidden fields, `username`, a password (by default the user's). */
export function loginForm(
  html: string,
  username = 'alice',
  password = PASSWORDS[username]!,
): Record<string, string> {
  return { ...hiddenFields(html), action: 'login', username, password }
}

/** An authorization server with both endpoints on one `auth`, and a browser to drive it. */
export async function codeServer(options: { auth?: JwtAuth<object>; clock?: () => number } = {}) {
  const auth = options.auth ?? (await makeAuth())
  const clients = createClientRegistry(CODE_CLIENTS, { iterations: 1_000 })
  const authorize = createAuthorizationEndpoint({
    auth,
    clients,
    verifyUser,
    scopeDescriptions: { read: 'Read your data', write: 'Change your data' },
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const token = createTokenEndpoint({ auth, clients, verifyUser })
  const jar = new CookieJar()

  async function get(query: Record<string, string> | string, headers: Record<string, string> = {}) {
    const search = typeof query === 'string' ? query : new URLSearchParams(query).toString()
    const response = await authorize(
      new Request(`${AUTHORIZE}?${search}`, { headers: { ...jar.header(), ...headers } }),
    )
    jar.take(response)
    return response
  }
  async function submit(fields: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await authorize(
      new Request(AUTHORIZE, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header(), ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    )
    jar.take(response)
    return response
  }
  /** Opens the request's login page and signs in; answers the page that follows (consent, or login again). */
  async function login(query: Record<string, string>, username = 'alice', password = PASSWORDS[username]!) {
    const page = await get(query)
    return submit(loginForm(await page.text(), username, password))
  }
  /** Posts the decision on a consent page (its response, or its HTML once read). */
  async function decide(page: Response | string, decision: 'allow' | 'deny') {
    const html = typeof page === 'string' ? page : await page.text()
    return submit({ ...hiddenFields(html), decision })
  }
  /**
   * Runs the request through whatever pages come (login, consent) as `user` allowing everything,
   * and answers the final redirect's query parameters.
   */
  async function authorizeAs(query: Record<string, string>, user = 'alice') {
    let response = await get(query)
    for (let step = 0; step < 3 && response.status === 200; step++) {
      const html = await response.text()
      response = html.includes('>Sign in</button>')
        ? await submit(loginForm(html, user))
        : await decide(html, 'allow')
    }
    return new URL(response.headers.get('location')!).searchParams
  }
  function redeem(form: Record<string, string>, headers: Record<string, string> = {}) {
    return token(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ grant_type: 'authorization_code', ...form }).toString(),
      }),
    )
  }
  return { auth, authorize, token, jar, get, submit, login, decide, authorizeAs, redeem }
}

export const PASSWORDS: Record<string, string> = {
  alice: 'correct horse battery staple',
  bob: 'hunter2-but-longer',
}
