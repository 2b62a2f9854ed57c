/// <reference types="node" />
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { forge } from '../test-support/jws.js'
import { testKeyPair } from '../test-support/keys.js'
import type { JwtAuth, PublicJwkSet } from '../types.js'

// createJwtAuth({ jwksUri }): verifying another issuer's tokens against its published JWK Set.
const ISSUER = 'https://issuer.test'
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
  const issuer = () => createJwtAuth({ algorithm: 'ES256', issuer: ISSUER, warn: () => {} })
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
  createJwtAuth({ algorithm: 'ES256', jwksUri: uri, issuer: ISSUER, ...extra })

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
    const issuer = await createJwtAuth({ algorithm: 'ES256', keys: pair, issuer: ISSUER })
    published = issuer.jwks()
    const kid = published.keys[0]!.kid
    const payload = {
      iss: ISSUER,
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
    const other = await createJwtAuth({ algorithm: 'ES256', issuer: 'https://other.test', warn: () => {} })
    published = { keys: [...other.jwks().keys] }
    const auth = await resourceServer()
    await expect(auth.verifyToken(await other.createToken('alice'))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'issuer',
    })
  })
})

describe('when the key set cannot be had', () => {
  const unavailable = { code: 'ERR_KEYSET_UNAVAILABLE', status: 503 }

  it('answers ERR_KEYSET_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const auth = await createJwtAuth({ algorithm: 'ES256', jwksUri: `http://127.0.0.1:${port}/jwks.json` })
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
  })

  it('answers ERR_KEYSET_UNAVAILABLE when the fetch times out', async () => {
    mode = 'hang'
    const auth = await resourceServer({ jwks: { timeoutMs: 200 } })
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
  })

  it('answers ERR_KEYSET_UNAVAILABLE when the key server answers 500', async () => {
    mode = 'error'
    const auth = await resourceServer()
    await expect(auth.verifyToken(await issuerA.createToken('alice'))).rejects.toMatchObject(unavailable)
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
