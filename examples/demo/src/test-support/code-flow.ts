import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as oauth from 'oauth4webapi'
import { expect } from 'vitest'
import { freePort, type Spawned, start, waitUntilReady } from './process.js'

const examples = fileURLToPath(new URL('../../../', import.meta.url))
const demo = join(examples, 'demo')
const packageDir = (from: string, name: string) =>
  dirname(createRequire(join(examples, from, 'package.json')).resolve(`${name}/package.json`))

/** Bun and Deno as the examples install them: the real binaries, not the node_modules/.bin shims. */
export const RUNTIME_COMMANDS = {
  bun: () => [join(packageDir('bun', 'bun'), 'bin/bun.exe'), 'run', 'src/test-support/runtime-server.mjs'],
  deno: () => [
    join(packageDir('deno', 'deno'), 'deno'),
    'run',
    '--allow-net',
    '--allow-env',
    'src/test-support/runtime-server.mjs',
  ],
}

/** Starts the demo's handler on Bun or Deno; resolves its base URL and process. */
export async function startOnRuntime(
  name: keyof typeof RUNTIME_COMMANDS,
  env: Record<string, string> = {},
): Promise<{ base: string; server: Spawned }> {
  const port = await freePort()
  const [command = '', ...args] = RUNTIME_COMMANDS[name]()
  const server = start(command, args, { ...process.env, ...env, PORT: String(port) }, demo)
  const base = `http://127.0.0.1:${port}`
  await waitUntilReady(`${base}/health`, server, 60_000)
  return { base, server }
}

/** One site's cookies in a test "browser". */
export class CookieJar {
  readonly #cookies = new Map<string, string>()
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  header(): Record<string, string> {
    return this.#cookies.size === 0
      ? {}
      : { cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
  }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
}

/** The hidden inputs of a page's form, as a browser posts them. */
export function hiddenFields(html: string): Record<string, string> {
  const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
  const fields: Record<string, string> = {}
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decode(match[1]!)] = decode(match[2]!)
  }
  return fields
}

/**
 * What a person does between the authorization request and the redirect: the login form as
 * `username`, then Allow on the consent page. Answers the URL the browser is sent back to.
 */
export async function signInAndAllow(authorizationUrl: URL, username: string): Promise<URL> {
  const jar = new CookieJar()
  const login = await fetch(authorizationUrl, { redirect: 'manual' })
  jar.take(login)
  expect(login.status).toBe(200)
  const html = await login.text()
  expect(html).toContain('<label for="username">Username</label>')
  const post = async (fields: Record<string, string>) => {
    const response = await fetch(authorizationUrl.origin + authorizationUrl.pathname, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header() },
      body: new URLSearchParams(fields),
    })
    jar.take(response)
    return response
  }
  const consent = await post({
    ...hiddenFields(html),
    action: 'login',
    username,
    password: `${username}-password`,
  })
  expect(consent.status).toBe(200)
  const consentHtml = await consent.text()
  expect(consentHtml).toContain('>Allow</button>')
  const done = await post({ ...hiddenFields(consentHtml), decision: 'allow' })
  expect(done.status).toBe(303)
  return new URL(done.headers.get('location')!)
}

const insecure = { [oauth.allowInsecureRequests]: true } as const

/**
 * The whole flow as oauth4webapi runs it for the demo-native public client: discovery, PKCE, the
 * login form and consent, the code (with `iss` checked), tokens, `/me`, refresh and revocation.
 */
export async function oauth4webapiFlow(base: string) {
  const issuer = new URL(base)
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  )
  expect(as).toMatchObject({
    authorization_endpoint: `${base}/oauth/authorize`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  })
  const client: oauth.Client = { client_id: 'demo-native' }
  const clientAuth = oauth.None()
  const { url, redirectUri, verifier, state } = await authorizationRequest(as, client)

  const callback = await signInAndAllow(url, 'alice')
  expect(callback.searchParams.get('iss')).toBe(base)
  const params = oauth.validateAuthResponse(as, client, callback, state)
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      redirectUri,
      verifier,
      insecure,
    ),
  )
  expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: 'profile posts:read' })

  const me = await oauth.protectedResourceRequest(
    tokens.access_token,
    'GET',
    new URL('/me', base),
    undefined,
    undefined,
    insecure,
  )
  expect(me.status).toBe(200)
  const who = await me.json()

  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
  )
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)

  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, insecure),
  )
  const afterRevocation = await fetch(new URL('/me', base), {
    headers: { authorization: `Bearer ${refreshed.access_token}` },
  })
  return { who, afterRevocation: afterRevocation.status, code: params.get('code') }
}

/**
 * A native app's authorization request, as oauth4webapi's users build it: a loopback redirect URI
 * on a port of the app's choosing (RFC 8252 §7.3), PKCE S256 and a state.
 */
export async function authorizationRequest(as: oauth.AuthorizationServer, client: oauth.Client) {
  const redirectUri = `http://127.0.0.1:${await freePort()}/callback`
  const verifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const url = new URL(as.authorization_endpoint!)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: 'profile posts:read',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString()
  return { url, redirectUri, verifier, state }
}
