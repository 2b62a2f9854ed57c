/// <reference types="node" />
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { withJwtAuth } from '../http/with-jwt-auth.js'
import { forge } from '../test-support/jws.js'
import { type TestKeyPair, testKeyPair } from '../test-support/keys.js'
import type { CovetEvent, JwtAuth, PublicJwkSet } from '../types.js'

// createJwtAuth({ jwksUri }): verifying another issuer's tokens against its published JWK Set.
const ISSUER = 'https://issuer.test'
const AUDIENCE = 'https://api.test'
const nowSeconds = () => Math.floor(Date.now() / 1000)

/** What the local key server does on the next requests. */
let mode: 'serve' | 'error' | 'garbage' | 'hang' = 'serve'
let published: PublicJwkSet = { keys: [] }
let requests = 0
let server: Server
let uri: string

let issuerA: JwtAuth
let issuerB: JwtAuth

beforeAll(async () => {
  const issuer = () =>
    createJwtAuth({ algorithm: 'ES256', issuer: ISSUER, audience: AUDIENCE, warn: () => {} })
  ;[issuerA, issuerB] = await Promise.all([issuer(), issuer()])
  server = createServer((_request, response) => {
    requests++
    if (mode === 'hang') return
    if (mode === 'error') return void response.writeHead(500).end('{"error":"down"}')
    if (mode === 'garbage')
      return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html>')
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  mode = 'serve'
  published = { keys: [...issuerA.jwks().keys] }
  requests = 0
})

const resourceServer = (extra: Record<string, unknown> = {}) =>
  createJwtAuth({ algorithm: 'ES256', jwksUri: uri, issuer: ISSUER, audience: AUDIENCE, ...extra })

describe('verifying against a remote JWK Set', () => {
  it('verifies a token signed by the matching private key, fetching the set once', async () => {
    const auth = await resourceServer()
    const token = await issuerA.createToken('alice', { roles: ['admin'] })
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice', roles: ['admin'] })
    await expect(auth.verifyToken(await issuerA.createToken('bob'))).resolves.toMatchObject({
      subject: 'bob',
    })
    expect(requests).toBe(1)
  })

  it('refetches once for an unknown kid, then finds the new key', async () => {
    const auth = await resourceServer({ jwks: { cooldown: 0 } })
    await auth.verifyToken(await issuerA.createToken('alice'))
    published = { keys: [...issuerA.jwks().keys, ...issuerB.jwks().keys] }
    await expect(auth.verifyToken(await issuerB.createToken('bob'))).resolves.toMatchObject({
      subject: 'bob',
    })
    expect(requests).toBe(2)
  })

  it('refuses a kid the refetched set still lacks, after exactly one refetch', async () => {
    const auth = await resourceServer({ jwks: { cooldown: 0 } })
    await auth.verifyToken(await issuerA.createToken('alice'))
    await expect(auth.verifyToken(await issuerB.createToken('bob'))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'key',
    })
    expect(requests).toBe(2)
  })

  it('does not refetch for unknown kids within the cooldown', async () => {
    const auth = await resourceServer({ jwks: { cooldown: '30s' } })
    await auth.verifyToken(await issuerA.createToken('alice'))
    for (let i = 0; i < 3; i++) {
      await expect(auth.verifyToken(await issuerB.createToken('bob'))).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
      })
    }
    expect(requests).toBe(1)
  })

  it('shares one fetch between concurrent verifications', async () => {
    const auth = await resourceServer()
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => issuerA.createToken(`user-${i}`)))
    const results = await Promise.all(tokens.map((token) => auth.verifyToken(token)))
    expect(results.map((r) => r.subject)).toEqual(tokens.map((_, i) => `user-${i}`))
    expect(requests).toBe(1)
  })

  it('refuses an algorithm outside the accepted list without fetching', async () => {
    const auth = await resourceServer({ algorithms: ['RS256'] })
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'algorithm',
    })
    expect(requests).toBe(0)
  })
})

describe('tokens of another issuer', () => {
  it('takes a plain JWT (typ JWT, or no typ) as an access token', async () => {
    const { pair } = await testKeyPair('ES256')
    const issuer = await createJwtAuth({ algorithm: 'ES256', keys: pair, issuer: ISSUER, audience: AUDIENCE })
    published = issuer.jwks()
    const kid = published.keys[0]!.kid
    const payload = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'alice',
      iat: nowSeconds(),
      exp: nowSeconds() + 600,
      jti: 'foreign-1',
    }
    const auth = await resourceServer()
    for (const typ of [{ typ: 'JWT' }, {}]) {
      const token = await forge(pair.privateKey, 'ES256', { alg: 'ES256', kid, ...typ }, payload)
      await expect(auth.verifyToken(token)).resolves.toMatchObject({ type: 'access', subject: 'alice' })
    }
  })

  it('never takes a refresh token as an access token', async () => {
    const auth = await resourceServer()
    const pair = await issuerA.createTokenPair('alice')
    await expect(auth.verifyToken(pair.accessToken)).resolves.toMatchObject({ type: 'access' })
    await expect(auth.verifyToken(pair.refreshToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_TYPE' })
  })

  it('still checks the issuer', async () => {
    const other = await createJwtAuth({
      algorithm: 'ES256',
      issuer: 'https://other.test',
      audience: AUDIENCE,
      warn: () => {},
    })
    published = { keys: [...other.jwks().keys] }
    const auth = await resourceServer()
    await expect(auth.verifyToken(await other.createToken('alice'))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'issuer',
    })
  })
})

describe('the audience a resource server expects (RFC 9068 §4, RFC 8725 §3.12)', () => {
  it('refuses jwksUri without an audience, naming the option and its opt-out', async () => {
    await expect(createJwtAuth({ algorithm: 'ES256', jwksUri: uri, issuer: ISSUER })).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      field: 'audience',
      message:
        'audience: is required with jwksUri (RFC 9068 §4): the audience this API expects, or false for an issuer whose access tokens carry none',
    })
  })

  it('refuses a token of the issuer minted for another audience', async () => {
    const other = await createJwtAuth({
      algorithm: 'ES256',
      keys: undefined,
      issuer: ISSUER,
      audience: 'web-client',
      warn: () => {},
    })
    published = other.jwks()
    const auth = await resourceServer()
    await expect(auth.verifyToken(await other.createToken('alice'))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'audience',
    })
  })

  it('with audience: false, the explicit opt-out, checks no aud', async () => {
    const other = await createJwtAuth({ algorithm: 'ES256', issuer: ISSUER, warn: () => {} })
    published = other.jwks()
    const auth = await resourceServer({ audience: false })
    expect(auth.audience).toBeUndefined()
    await expect(auth.verifyToken(await other.createToken('alice'))).resolves.toMatchObject({
      subject: 'alice',
    })
  })
})

describe('ID tokens are never accepted as access tokens', () => {
  let foreign: TestKeyPair
  let kid: string
  let jwks: PublicJwkSet

  beforeAll(async () => {
    foreign = await testKeyPair('ES256')
    jwks = (await createJwtAuth({ algorithm: 'ES256', keys: foreign.pair, warn: () => {} })).jwks()
    kid = jwks.keys[0]!.kid
  })
  beforeEach(() => {
    published = jwks
  })

  /** A token of the foreign issuer, signed with its published key, shaped as `header` and `extra` say. */
  const foreignToken = (extra: Record<string, unknown>, header: Record<string, unknown> = { typ: 'JWT' }) =>
    forge(
      foreign.pair.privateKey,
      'ES256',
      { alg: 'ES256', kid, ...header },
      {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: 'alice',
        iat: nowSeconds(),
        exp: nowSeconds() + 300,
        jti: crypto.randomUUID(),
        ...extra,
      },
    )

  const idTokens: [string, Record<string, unknown>][] = [
    ['nonce (OpenID Connect Core §2)', { nonce: 'n-0S6_WzA2Mj', auth_time: nowSeconds() }],
    ['at_hash (OpenID Connect Core §3.1.3.6)', { at_hash: 'MTIzNDU2Nzg5MDEyMzQ1Ng' }],
    ['c_hash (OpenID Connect Core §3.3.2.11)', { c_hash: 'LDktKdoQak3Pk0cnXxCltA' }],
    ['s_hash (FAPI 1.0 §5.1)', { s_hash: 'x8N3gbb0tSNnfeuxPi5BvA' }],
    ["Keycloak's payload typ ID", { typ: 'ID', azp: 'web-client' }],
    ["Cognito's token_use id", { token_use: 'id', 'cognito:username': 'alice' }],
  ]
  for (const [marker, extra] of idTokens) {
    it(`refuses an ID token carrying ${marker}, whatever its header typ`, async () => {
      const auth = await resourceServer()
      for (const header of [{ typ: 'JWT' }, {}, { typ: 'at+jwt' }]) {
        await expect(auth.verifyToken(await foreignToken(extra, header))).rejects.toMatchObject({
          code: 'ERR_TOKEN_TYPE',
          reason: 'id_token',
          status: 401,
        })
      }
    })
  }

  it('refuses them with audience: false too', async () => {
    const auth = await resourceServer({ audience: false })
    const cognitoIdToken = await foreignToken({ aud: 'web-client', token_use: 'id' })
    await expect(auth.verifyToken(cognitoIdToken)).rejects.toMatchObject({
      code: 'ERR_TOKEN_TYPE',
      reason: 'id_token',
    })
  })

  it('answers an ID token sent as a bearer token with 401 invalid_token', async () => {
    const auth = await resourceServer()
    const handler = withJwtAuth(() => new Response('secret'), { auth, realm: 'api' })
    const token = await foreignToken({ nonce: 'n-0S6_WzA2Mj', at_hash: 'MTIzNDU2Nzg5MDEyMzQ1Ng' })
    const response = await handler(
      new Request('https://api.test/me', { headers: { authorization: `Bearer ${token}` } }),
    )
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token is not an access token"',
    )
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'The token is not an access token',
      code: 'ERR_TOKEN_TYPE',
    })
  })

  it("accepts the same issuers' access tokens: Keycloak's typ Bearer, Cognito's token_use access", async () => {
    const auth = await resourceServer()
    await expect(
      auth.verifyToken(await foreignToken({ typ: 'Bearer', azp: 'web-client' })),
    ).resolves.toMatchObject({
      type: 'access',
      subject: 'alice',
    })
    const cognito = await resourceServer({ audience: false })
    // Cognito's access tokens carry no aud (undefined is left out of the JSON).
    const access = await foreignToken({ aud: undefined, token_use: 'access', client_id: 'web-client' })
    await expect(cognito.verifyToken(access)).resolves.toMatchObject({
      type: 'access',
      clientId: 'web-client',
    })
  })

  it('refuses a header typ naming another kind of JWT', async () => {
    const auth = await resourceServer()
    for (const typ of ['logout+jwt', 'secevent+jwt', 'dpop+jwt', 'id_token+jwt']) {
      await expect(auth.verifyToken(await foreignToken({}, { typ }))).rejects.toMatchObject({
        code: 'ERR_TOKEN_TYPE',
        reason: 'type',
      })
    }
  })
})

describe('when the key set cannot be had', () => {
  const unavailable = { code: 'ERR_KEYSET_UNAVAILABLE', status: 503 }

  it('answers ERR_KEYSET_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const auth = await createJwtAuth({
      algorithm: 'ES256',
      jwksUri: `http://127.0.0.1:${port}/jwks.json`,
      audience: AUDIENCE,
    })
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
  })

  it('answers ERR_KEYSET_UNAVAILABLE when the fetch times out', async () => {
    mode = 'hang'
    const auth = await resourceServer({ jwks: { timeout: '200ms' } })
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
  })

  it('answers ERR_KEYSET_UNAVAILABLE when the key server answers 500', async () => {
    mode = 'error'
    const auth = await resourceServer()
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
  })

  it('reports the outage with reason "key_set", not as a revocation store failure', async () => {
    mode = 'error'
    const events: CovetEvent[] = []
    const auth = await resourceServer({ onEvent: (event: CovetEvent) => events.push(event) })
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
    expect(events).toEqual([
      { type: 'token.verify_failed', code: 'ERR_KEYSET_UNAVAILABLE', reason: 'key_set' },
    ])
  })

  it('answers ERR_KEYSET_UNAVAILABLE when the key server answers something that is not JSON', async () => {
    mode = 'garbage'
    const auth = await resourceServer()
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
  })

  it('recovers once the key server is back', async () => {
    mode = 'error'
    const auth = await resourceServer({ jwks: { cooldown: 0 } })
    const token = await issuerA.createToken('alice')
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: expect.any(String) })
    mode = 'serve'
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })
})
