import { createJwtAuth, type JwtAuth } from '@covet/core'
import { createAuthorizationEndpoint, createClientRegistry, createTokenEndpoint } from '@covet/oauth2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { deleteKeys, REDIS_URL, uniquePrefix, until } from './test-support/redis.js'

// Two servers of one fleet: each its own store connection, auth, authorization and token
// endpoints; one Redis, one signing key, one cookie secret. A code issued by one is redeemed by the other.
const prefix = uniquePrefix('code-flow')
const ISSUER = 'https://auth.example.test'
const REDIRECT = 'https://spa.example.test/callback'
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
// RFC 7636 Appendix B: the S256 challenge of VERIFIER.
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

interface Server {
  store: RedisStore
  auth: JwtAuth<object>
  authorize: (request: Request) => Promise<Response>
  token: (request: Request) => Promise<Response>
}

const clients = createClientRegistry(
  [
    {
      clientId: 'spa',
      tokenEndpointAuthMethod: 'none',
      redirectUris: [REDIRECT],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['read'],
    },
  ],
  { iterations: 1_000 },
)
const verifyUser = async (username: string, password: string) =>
  username === 'alice' && password === 'alice-password' ? { subject: 'alice' } : null

async function server(): Promise<Server> {
  const store = await createRedisStore({ url: REDIS_URL, prefix })
  const auth = await createJwtAuth({
    algorithm: 'HS256',
    keys: 'one-secret-for-the-whole-fleet-of-32-bytes!',
    issuer: ISSUER,
    revocation: store,
    warn: () => {},
  })
  const cookieSecret = 'one-cookie-secret-for-the-fleet-32-bytes!'
  return {
    store,
    auth,
    authorize: createAuthorizationEndpoint({ auth, clients, verifyUser, cookieSecret }),
    token: createTokenEndpoint({ auth, clients }),
  }
}

let a: Server
let b: Server

beforeAll(async () => {
  ;[a, b] = await Promise.all([server(), server()])
})

afterAll(async () => {
  await Promise.all([a?.store.close(), b?.store.close()])
  await deleteKeys(REDIS_URL, prefix)
})

const hidden = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
      m[1]!,
      m[2]!.replaceAll('&amp;', '&'),
    ]),
  )

/** Signs alice in on `first`, allows on `second` (another server), and answers the code. */
async function codeFrom(first: Server, second: Server): Promise<string> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: REDIRECT,
    scope: 'read',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  })
  const url = `${ISSUER}/oauth/authorize`
  const cookies: string[] = []
  const post = async (on: Server, fields: Record<string, string>) => {
    const response = await on.authorize(
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
        body: new URLSearchParams(fields),
      }),
    )
    for (const line of response.headers.getSetCookie()) cookies.push(line.split(';')[0]!)
    return response
  }
  const login = await first.authorize(new Request(`${url}?${query}`))
  for (const line of login.headers.getSetCookie()) cookies.push(line.split(';')[0]!)
  const consent = await post(first, {
    ...hidden(await login.text()),
    action: 'login',
    username: 'alice',
    password: 'alice-password',
  })
  expect(consent.status).toBe(200)
  // The session lives in Redis: the other server knows it, and issues the code.
  const done = await post(second, { ...hidden(await consent.text()), decision: 'allow' })
  expect(done.status).toBe(303)
  return new URL(done.headers.get('location')!).searchParams.get('code')!
}

const redeem = (on: Server, code: string) =>
  on.token(
    new Request(`${ISSUER}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: VERIFIER,
        client_id: 'spa',
      }),
    }),
  )

describe('authorization codes and login sessions shared through Redis', () => {
  it('lets one server redeem a code the other issued, for a session started on the first', async () => {
    const code = await codeFrom(a, b)
    const response = await redeem(a, code)
    expect(response.status).toBe(200)
    const { access_token } = (await response.json()) as { access_token: string }
    await expect(b.auth.verifyToken(access_token)).resolves.toMatchObject({
      subject: 'alice',
      clientId: 'spa',
    })
  })

  it("refuses the second redemption on the other server and revokes the first one's tokens on both", async () => {
    const code = await codeFrom(a, a)
    const first = await redeem(a, code)
    const { access_token } = (await first.json()) as { access_token: string }
    const { familyId } = await a.auth.verifyToken(access_token)
    const second = await redeem(b, code)
    expect(second.status).toBe(400)
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' })
    await expect(b.auth.verifyToken(access_token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    // Server a hears of the revocation through Redis' invalidation channel.
    await until(() => a.store.isRevoked({ jti: 'x', sub: 'alice', iat: 0, fid: familyId }) === true, 5_000)
    await expect(a.auth.verifyToken(access_token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('gives tokens to at most one of 20 concurrent redemptions spread over both servers', async () => {
    const code = await codeFrom(b, a)
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(i % 2 ? a : b, code)))
    const won = answers.filter((r) => r.status === 200)
    expect(won.length).toBeLessThanOrEqual(1)
    expect(answers.filter((r) => r.status === 400)).toHaveLength(20 - won.length)
    for (const response of won) {
      const { access_token } = (await response.json()) as { access_token: string }
      await expect(b.auth.verifyToken(access_token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    }
  })
})
