import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bodyLimitSuite } from './test-support/body-limit-suite.js'
import { cliSuite } from './test-support/cli-suite.js'
import { dpopRedisSuite } from './test-support/dpop-redis-suite.js'
import { bearer, DEMO_APP, login, REPORTING, rawRequest, tokenRequest } from './test-support/http.js'
import { limitsSuite } from './test-support/limits-suite.js'
import {
  demoEnv,
  freePort,
  type Spawned,
  startDemoLikeReadme,
  waitUntilReady,
} from './test-support/process.js'
import { redisSuite } from './test-support/redis-suite.js'
import { startupSuite } from './test-support/startup-suite.js'

const REALM = 'covet-demo'

describe('the demo started as the README says (npx -y pnpm@12.4.2 demo)', () => {
  let demo: Spawned
  let port: number
  let base: string

  beforeAll(async () => {
    port = await freePort()
    base = `http://127.0.0.1:${port}`
    demo = startDemoLikeReadme(demoEnv({ PORT: String(port), HOST: '127.0.0.1' }))
    await waitUntilReady(`${base}/health`, demo, 170_000)
  })
  afterAll(async () => {
    await demo?.kill()
  })

  it('prints its URL and a curl walkthrough, and warns that its key is generated', () => {
    expect(demo.output()).toContain(`Covet demo listening on ${base}\n`)
    expect(demo.output()).toContain(
      `curl -s -u demo-app:demo-app-secret -d grant_type=password -d username=alice -d password=alice-password ${base}/oauth/token`,
    )
    expect(demo.output()).toContain('generated an ephemeral RS256 key; tokens will not survive a restart')
  })

  it('answers /health without credentials', async () => {
    const response = await fetch(`${base}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('challenges a request without credentials with exactly Bearer and DPoP, both in realm covet-demo', async () => {
    const response = await fetch(`${base}/me`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="${REALM}", DPoP realm="${REALM}", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"`,
    )
    expect(response.headers.get('content-type')).toBe('application/problem+json')
  })

  it('runs login → /me → refresh → logout → refused', async () => {
    const first = await tokenRequest(base, DEMO_APP, {
      grant_type: 'password',
      username: 'alice',
      password: 'alice-password',
      scope: 'openid posts:read',
    })
    expect(first.status).toBe(200)
    expect(first.headers.get('cache-control')).toBe('no-store')
    const pair = (await first.json()) as Record<string, string | number>
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'openid posts:read' })

    const me = await bearer(`${base}/me`, pair.access_token as string)
    expect(me.status).toBe(200)
    expect(await me.json()).toEqual({
      sub: 'alice',
      roles: ['admin'],
      permissions: ['posts:delete', 'posts:edit', 'posts:read', 'users:manage'],
      scope: 'openid posts:read',
    })

    const refreshed = await tokenRequest(base, DEMO_APP, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token as string,
    })
    expect(refreshed.status).toBe(200)
    const next = (await refreshed.json()) as Record<string, string>
    expect(next.refresh_token).not.toBe(pair.refresh_token)
    expect((await bearer(`${base}/me`, next.access_token!)).status).toBe(200)

    const out = await bearer(`${base}/logout`, next.access_token!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refresh_token: next.refresh_token! }),
    })
    expect(out.status).toBe(204)
    const refused = await bearer(`${base}/me`, next.access_token!)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer realm="${REALM}", error="invalid_token", error_description="The access token has been revoked"`,
    )
    // The family ended with the logout: the refresh token is refused too.
    const again = await tokenRequest(base, DEMO_APP, {
      grant_type: 'refresh_token',
      refresh_token: next.refresh_token!,
    })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('ends the whole session when /logout is sent a spent refresh token (RFC 9700 §4.14.2)', async () => {
    const first = await login(base, 'bob')
    const refreshed = await tokenRequest(base, DEMO_APP, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    })
    expect(refreshed.status).toBe(200)
    const current = (await refreshed.json()) as Record<string, string>

    const out = await bearer(`${base}/logout`, current.access_token!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refresh_token: first.refresh_token }),
    })
    expect(out.status).toBe(204)
    // The current refresh token, not the spent one that was presented, is refused now.
    const again = await tokenRequest(base, DEMO_APP, {
      grant_type: 'refresh_token',
      refresh_token: current.refresh_token!,
    })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' })
    for (const access of [first.access_token, current.access_token!]) {
      const refused = await bearer(`${base}/me`, access)
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    }
  })

  it('lets alice (admin) but not bob or carol list users', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => login(base, name)))
    const ok = await bearer(`${base}/admin/users`, alice!.access_token)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({
      users: [
        { username: 'alice', roles: ['admin'] },
        { username: 'bob', roles: ['user'] },
        { username: 'carol', roles: ['moderator'] },
      ],
    })
    for (const who of [bob!, carol!]) {
      const refused = await bearer(`${base}/admin/users`, who.access_token)
      expect(refused.status).toBe(403)
      expect(refused.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="covet-demo", error="insufficient_scope"/,
      )
    }
  })

  it('lets carol (moderator) and alice (admin, inheriting) delete posts, but not bob', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => login(base, name)))
    for (const who of [alice!, carol!]) {
      const deleted = await bearer(`${base}/posts/17`, who.access_token, { method: 'DELETE' })
      expect(deleted.status).toBe(200)
      expect(await deleted.json()).toEqual({ deleted: '17' })
    }
    const refused = await bearer(`${base}/posts/17`, bob!.access_token, { method: 'DELETE' })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('www-authenticate')).toContain('scope="posts:delete"')
  })

  it('gives reporting-service a client-credentials token that reads /reports, which a user token cannot', async () => {
    const response = await tokenRequest(base, REPORTING, { grant_type: 'client_credentials' })
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'reports:read' })
    expect(body).not.toHaveProperty('refresh_token')
    const reports = await bearer(`${base}/reports`, body.access_token as string)
    expect(reports.status).toBe(200)
    expect(await reports.json()).toHaveProperty('reports')
    const alice = await login(base, 'alice')
    const refused = await bearer(`${base}/reports`, alice.access_token)
    expect(refused.status).toBe(403)
    expect(refused.headers.get('www-authenticate')).toContain('scope="reports:read"')
  })

  it('introspects a live token as active, and as inactive once /oauth/revoke ended its family', async () => {
    const pair = await login(base, 'carol')
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, client_id: 'demo-app', client_secret: 'demo-app-secret' }),
      })
    const live = await post('/oauth/introspect', { token: pair.access_token })
    expect(live.status).toBe(200)
    expect(await live.json()).toMatchObject({
      active: true,
      sub: 'carol',
      client_id: 'demo-app',
      token_type: 'Bearer',
    })
    const revoked = await post('/oauth/revoke', {
      token: pair.refresh_token,
      token_type_hint: 'refresh_token',
    })
    expect(revoked.status).toBe(200)
    expect(await (await post('/oauth/introspect', { token: pair.access_token })).json()).toEqual({
      active: false,
    })
    expect((await bearer(`${base}/me`, pair.access_token)).status).toBe(401)
  })

  it('answers invalid_client with 401 and a Basic challenge', async () => {
    const response = await tokenRequest(base, ['demo-app', 'wrong-secret'], {
      grant_type: 'client_credentials',
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="covet-demo"/)
    expect(await response.json()).toMatchObject({ error: 'invalid_client' })
  })

  it('tells /public/posts whether a valid token came with the request', async () => {
    expect(await (await fetch(`${base}/public/posts`)).json()).toEqual({ authenticated: false })
    const bob = await login(base, 'bob')
    expect(await (await bearer(`${base}/public/posts`, bob.access_token)).json()).toEqual({
      authenticated: true,
      sub: 'bob',
    })
  })

  it('publishes its JWK Set and RFC 8414 metadata', async () => {
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, unknown>[]
    }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
    expect(jwks.keys[0]).not.toHaveProperty('d')
    const metadata = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()
    expect(metadata).toMatchObject({
      issuer: base,
      token_endpoint: `${base}/oauth/token`,
      revocation_endpoint: `${base}/oauth/revoke`,
      introspection_endpoint: `${base}/oauth/introspect`,
      jwks_uri: `${base}/.well-known/jwks.json`,
    })
  })

  it('refuses two Authorization headers with 400 invalid_request', async () => {
    const { access_token } = await login(base, 'bob')
    const answer = await rawRequest(
      port,
      `GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${access_token}\r\nAuthorization: Bearer ${access_token}\r\nConnection: close\r\n\r\n`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer.toLowerCase()).toContain(
      'www-authenticate: bearer realm="covet-demo", error="invalid_request"',
    )
  })

  it.each([
    ['GET /me', 'h/oauth/.\t.'],
    ['GET /admin/users', 'x/health/.\t.'],
    ['GET /health', 'h\\me'],
    ['GET /me', 'a b'],
  ])('answers %s with Host %j 400 before any route runs (RFC 9112 §3.2)', async (line, host) => {
    const answer = await rawRequest(port, `${line} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer).toContain('"code":"ERR_REQUEST_MALFORMED"')
    expect(answer.toLowerCase()).not.toContain('www-authenticate')
  })

  it('answers 429 with Retry-After after 10 failed logins for one username, leaving others alone', async () => {
    const attempt = (username: string, password: string) =>
      tokenRequest(base, DEMO_APP, { grant_type: 'password', username, password })
    for (let i = 0; i < 10; i++) {
      const failed = await attempt('bob', `wrong-${i}`)
      expect(failed.status).toBe(400)
      expect(await failed.json()).toMatchObject({ error: 'invalid_grant' })
    }
    const locked = await attempt('bob', 'bob-password')
    expect(locked.status).toBe(429)
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(900)
    expect((await attempt('carol', 'carol-password')).status).toBe(200)
  })
})

startupSuite()
bodyLimitSuite()
limitsSuite()
redisSuite()
dpopRedisSuite()
cliSuite()
