import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { getAuth } from '../http/auth-context.js'
import { withJwtAuth } from '../http/with-jwt-auth.js'
import { frozenClock } from '../test-support/clock.js'
import { startTestIssuer, type TestIssuer } from '../test-support/issuer-server.js'
import { b64, hmacKey } from '../test-support/jws.js'
import { testKeyPair } from '../test-support/keys.js'
import type { IssuerConfig } from './options.js'

// createJwtAuth({ issuers }): another authorization server's access tokens, its keys discovered
// from its issuer URL, its unverified `iss` only choosing whose keys and rules apply.
const API = 'https://api.test'
const clock = frozenClock()
let a: TestIssuer
let b: TestIssuer

beforeAll(async () => {
  ;[a, b] = await Promise.all([
    startTestIssuer({ path: '/a' }),
    startTestIssuer({ path: '/b', alg: 'ES256' }),
  ])
})
afterAll(() => Promise.all([a.close(), b.close()]))
beforeEach(() => {
  clock.set(1_800_000_000)
  for (const issuer of [a, b]) issuer.mode = 'serve'
})

const claimsOf = (issuer: TestIssuer, extra: Record<string, unknown> = {}) => ({
  iss: issuer.issuer,
  aud: API,
  sub: 'alice',
  iat: clock.seconds,
  exp: clock.seconds + 600,
  ...extra,
})
const resourceServer = (issuers: IssuerConfig[], extra: Record<string, unknown> = {}) =>
  createJwtAuth({ issuers, clock: clock.now, warn: () => {}, ...extra })
const entry = (issuer: TestIssuer, extra: Partial<IssuerConfig> = {}): IssuerConfig => ({
  issuer: issuer.issuer,
  audience: API,
  ...extra,
})
const bearer = (token: string) => new Request(`${API}/me`, { headers: { authorization: `Bearer ${token}` } })

describe('an issuer of access tokens', () => {
  it('verifies its at+jwt token with keys discovered from its issuer URL, and names the issuer', async () => {
    const before = { ...a.requests }
    const auth = await resourceServer([entry(a)])
    const token = await a.sign(claimsOf(a, { jti: 'at-1', scope: 'read write' }), { typ: 'at+jwt' })
    await expect(auth.verifyToken(token)).resolves.toMatchObject({
      type: 'access',
      subject: 'alice',
      issuer: a.issuer,
      jti: 'at-1',
      scopes: ['read', 'write'],
    })
    expect(a.requests.openid - before.openid).toBe(1)
    expect(a.requests.jwks - before.jwks).toBe(1)
  })

  it('takes a plain JWT (typ JWT, or none) as an access token, unless requireAtJwt', async () => {
    const lenient = await resourceServer([entry(a)])
    const strict = await resourceServer([entry(a, { requireAtJwt: true })])
    for (const header of [{ typ: 'JWT' }, {}]) {
      const token = await a.sign(claimsOf(a), header)
      await expect(lenient.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
      await expect(strict.verifyToken(token)).rejects.toMatchObject({
        code: 'ERR_TOKEN_TYPE',
        reason: 'type',
      })
    }
    const token = await a.sign(claimsOf(a), { typ: 'application/at+jwt' })
    await expect(strict.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('never takes its refresh-typed or other JWTs as access tokens', async () => {
    const auth = await resourceServer([entry(a)])
    for (const typ of ['refresh+jwt', 'logout+jwt', 'dpop+jwt']) {
      const token = await a.sign(claimsOf(a), { typ })
      await expect(auth.verifyToken(token, { type: 'any' })).rejects.toMatchObject({ code: 'ERR_TOKEN_TYPE' })
    }
  })

  it('refuses its ID tokens even with the client among the audiences', async () => {
    const auth = await resourceServer([entry(a, { audience: [API, 'web-client'] })])
    const idToken = await a.sign(claimsOf(a, { aud: 'web-client', nonce: 'n-0S6_WzA2Mj' }), { typ: 'JWT' })
    await expect(auth.verifyToken(idToken)).rejects.toMatchObject({
      code: 'ERR_TOKEN_TYPE',
      reason: 'id_token',
    })
  })

  it('does not need a jti, and checks one against the revocation store when present', async () => {
    const auth = await resourceServer([entry(a)])
    const anonymous = await a.sign(claimsOf(a))
    await expect(auth.verifyToken(anonymous)).resolves.toMatchObject({ jti: undefined })
    await expect(auth.revokeToken(anonymous)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'payload',
    })
    const named = await a.sign(claimsOf(a, { jti: 'a-42' }))
    await expect(auth.revokeToken(named)).resolves.toMatchObject({ jti: 'a-42', subject: 'alice' })
    await expect(auth.verifyToken(named)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it("revokes a subject's tokens of every issuer, those without a jti too", async () => {
    const auth = await resourceServer([entry(a)])
    const token = await a.sign(claimsOf(a))
    await auth.verifyToken(token)
    await auth.revokeSubject('alice')
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('accepts tokens living 24 hours by default, not a second more', async () => {
    const auth = await resourceServer([entry(a)])
    const day = await a.sign(claimsOf(a, { exp: clock.seconds + 86_400 }))
    await expect(auth.verifyToken(day)).resolves.toMatchObject({ subject: 'alice' })
    const longer = await a.sign(claimsOf(a, { exp: clock.seconds + 86_401 }))
    await expect(auth.verifyToken(longer)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'lifetime',
    })
    const short = await resourceServer([entry(a, { maxTokenLifetime: '1h' })])
    await expect(short.verifyToken(day)).rejects.toMatchObject({ reason: 'lifetime' })
  })

  it('refuses a token issued in the future, or without iat or sub', async () => {
    const auth = await resourceServer([entry(a)])
    const cases: [Record<string, unknown>, string][] = [
      [{ iat: clock.seconds + 60 }, 'issued_at'],
      [{ iat: undefined }, 'issued_at'],
      [{ sub: undefined }, 'subject'],
      [{ jti: '' }, 'payload'],
    ]
    for (const [extra, reason] of cases) {
      await expect(auth.verifyToken(await a.sign(claimsOf(a, extra)))).rejects.toMatchObject({ reason })
    }
  })

  it('holds tokens to requiredClaims: one value, or one of a list', async () => {
    const auth = await resourceServer([
      entry(a, { requiredClaims: { token_use: 'access', client_id: ['web', 'cli'], version: 2 } }),
    ])
    const good = { token_use: 'access', client_id: 'cli', version: 2 }
    await expect(auth.verifyToken(await a.sign(claimsOf(a, good)))).resolves.toMatchObject({
      clientId: 'cli',
    })
    for (const bad of [
      { client_id: 'other' },
      { token_use: 'refresh' },
      { version: '2' },
      { client_id: undefined },
    ]) {
      await expect(auth.verifyToken(await a.sign(claimsOf(a, { ...good, ...bad })))).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
        reason: 'claims',
      })
    }
  })

  it('checks the audience: one of a list, or none with audience: false', async () => {
    const listed = await resourceServer([entry(a, { audience: ['https://other.test', API] })])
    await expect(listed.verifyToken(await a.sign(claimsOf(a)))).resolves.toMatchObject({ subject: 'alice' })
    await expect(listed.verifyToken(await a.sign(claimsOf(a, { aud: 'web-client' })))).rejects.toMatchObject({
      reason: 'audience',
    })
    const none = await resourceServer([entry(a, { audience: false })])
    await expect(none.verifyToken(await a.sign(claimsOf(a, { aud: undefined })))).resolves.toMatchObject({
      subject: 'alice',
    })
  })

  it('refuses an HMAC token keyed with the public key (algorithm confusion) before fetching anything', async () => {
    const auth = await resourceServer([entry(b)])
    const before = b.requests.jwks
    const key = await hmacKey(JSON.stringify(b.publicJwks().keys[0]), 'HS256')
    const header = b64(JSON.stringify({ alg: 'HS256', kid: b.kid }))
    const payload = b64(JSON.stringify(claimsOf(b)))
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${header}.${payload}`))
    const token = `${header}.${payload}.${b64(new Uint8Array(mac))}`
    await expect(auth.verifyToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'algorithm',
    })
    expect(b.requests.jwks).toBe(before)
  })
})

describe('several issuers in one instance', () => {
  it("verifies each issuer's tokens with that issuer's keys", async () => {
    const auth = await resourceServer([entry(a), entry(b)])
    await expect(auth.verifyToken(await a.sign(claimsOf(a, { sub: 'from-a' })))).resolves.toMatchObject({
      subject: 'from-a',
      issuer: a.issuer,
    })
    await expect(auth.verifyToken(await b.sign(claimsOf(b, { sub: 'from-b' })))).resolves.toMatchObject({
      subject: 'from-b',
      issuer: b.issuer,
    })
  })

  it("refuses a token naming issuer A but signed with issuer B's key", async () => {
    const auth = await resourceServer([entry(a), entry(b)])
    // B's key, B's kid: A's key set has no such key.
    const withOwnKid = await b.sign(claimsOf(a))
    await expect(auth.verifyToken(withOwnKid)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'key',
    })
    // B's key under A's kid and algorithm name: the signature does not verify with A's key.
    const borrowedKid = await b.sign(claimsOf(a), { kid: a.kid })
    await expect(auth.verifyToken(borrowedKid)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
  })

  it('generates no key of its own: without keys, only the listed issuers are trusted', async () => {
    const auth = await resourceServer([entry(a)])
    await expect(auth.createToken('bob')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    expect(auth.jwks()).toEqual({ keys: [] })
  })

  it('answers a token of an issuer not listed with 401 invalid_token, fetching nothing', async () => {
    const stranger = await startTestIssuer({ path: '/stranger' })
    try {
      const auth = await resourceServer([entry(a), entry(b)])
      const handler = withJwtAuth(() => new Response('secret'), { auth, realm: 'api' })
      const response = await handler(bearer(await stranger.sign(claimsOf(stranger))))
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"',
      )
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The access token is invalid',
        code: 'ERR_TOKEN_INVALID',
      })
      expect(stranger.requests).toEqual({ openid: 0, oauth: 0, jwks: 0 })
    } finally {
      await stranger.close()
    }
  })

  it("keeps Covet's own tokens working beside other issuers", async () => {
    const { pair } = await testKeyPair('ES256')
    const auth = await resourceServer([entry(a)], {
      algorithm: 'ES256',
      keys: pair,
      issuer: 'https://covet.test',
      audience: API,
    })
    const own = await auth.createToken('bob', { roles: ['admin'] })
    await expect(auth.verifyToken(own)).resolves.toMatchObject({
      subject: 'bob',
      issuer: 'https://covet.test',
    })
    await expect(auth.verifyToken(await a.sign(claimsOf(a)))).resolves.toMatchObject({ issuer: a.issuer })
    // An issuer not listed is not Covet's either.
    await expect(auth.verifyToken(await b.sign(claimsOf(b)))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
    })
  })

  it('hands the identity to the handler through withJwtAuth, with its issuer', async () => {
    const auth = await resourceServer([entry(a), entry(b)])
    const handler = withJwtAuth((request) => Response.json(getAuth(request)), { auth })
    const response = await handler(bearer(await b.sign(claimsOf(b, { scp: ['orders.read'] }))))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      subject: 'alice',
      issuer: b.issuer,
      scopes: ['orders.read'],
    })
  })
})
