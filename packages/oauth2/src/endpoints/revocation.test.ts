import { createJwtAuth, type JwtAuth, MemoryRevocationStore } from '@covet/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeAuth, makeClients, post, read, SECRETS } from '../test-support/fixtures.js'
import { createRevocationEndpoint } from './revocation.js'

const clients = makeClients()
const web = ['web', SECRETS.web] as const
const other = ['other', SECRETS.other] as const
let auth: JwtAuth<object>
let revoke: (request: Request) => Promise<Response>

beforeAll(async () => {
  auth = await makeAuth()
  revoke = createRevocationEndpoint({ auth, clients })
})

const issue = () => auth.createTokenPair('alice', { clientId: 'web', scope: 'read' })
const isActive = (token: string) =>
  auth.verifyToken(token, { type: 'any' }).then(
    () => true,
    () => false,
  )

async function expectOk(response: Response) {
  expect(await read(response)).toEqual({
    status: 200,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    body: undefined,
  })
}

describe('revocation endpoint (RFC 7009)', () => {
  it("revokes a refresh token and with it its family's access token (§2.1)", async () => {
    const pair = await issue()
    await expectOk(
      await revoke(post({ token: pair.refreshToken, token_type_hint: 'refresh_token' }, { basic: web })),
    )
    expect(await isActive(pair.refreshToken)).toBe(false)
    expect(await isActive(pair.accessToken)).toBe(false)
  })

  it('ends the whole family when given a spent refresh token: current refresh token and access tokens (RFC 9700 §4.14.2)', async () => {
    const first = await issue()
    const current = await auth.refreshAccessToken(first.refreshToken, { clientId: 'web' })
    await expectOk(
      await revoke(post({ token: first.refreshToken, token_type_hint: 'refresh_token' }, { basic: web })),
    )
    expect(await isActive(current.refreshToken)).toBe(false)
    expect(await isActive(current.accessToken)).toBe(false)
    expect(await isActive(first.accessToken)).toBe(false)
    await expect(auth.refreshAccessToken(current.refreshToken, { clientId: 'web' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
  })

  it('leaves the family alone when another client presents one of its spent refresh tokens', async () => {
    const first = await issue()
    const current = await auth.refreshAccessToken(first.refreshToken, { clientId: 'web' })
    await expectOk(await revoke(post({ token: first.refreshToken }, { basic: other })))
    expect(await isActive(current.refreshToken)).toBe(true)
    expect(await isActive(current.accessToken)).toBe(true)
  })

  it('revokes an access token alone, whatever the hint says (§2.1: only a hint)', async () => {
    const pair = await issue()
    await expectOk(
      await revoke(post({ token: pair.accessToken, token_type_hint: 'refresh_token' }, { basic: web })),
    )
    expect(await isActive(pair.accessToken)).toBe(false)
    expect(await isActive(pair.refreshToken)).toBe(true)
  })

  it('ignores an unknown hint value', async () => {
    const pair = await issue()
    await expectOk(
      await revoke(post({ token: pair.accessToken, token_type_hint: 'id_token' }, { basic: web })),
    )
    expect(await isActive(pair.accessToken)).toBe(false)
  })

  it('answers 200 for unknown, malformed and already revoked tokens (§2.2)', async () => {
    const pair = await issue()
    await auth.revokeToken(pair.refreshToken)
    for (const token of ['not-a-token', 'a.b.c', pair.refreshToken]) {
      await expectOk(await revoke(post({ token }, { basic: web })))
    }
  })

  it("answers 200 to a client revoking another client's token, and leaves that token alone", async () => {
    const pair = await issue()
    await expectOk(await revoke(post({ token: pair.refreshToken }, { basic: other })))
    expect(await isActive(pair.refreshToken)).toBe(true)
    expect(await isActive(pair.accessToken)).toBe(true)
  })

  it('requires client authentication: 401 invalid_client with a Basic challenge', async () => {
    const pair = await issue()
    for (const request of [
      post({ token: pair.accessToken }),
      post({ token: pair.accessToken }, { basic: ['web', 'wrong'] }),
    ]) {
      const result = await read(await revoke(request))
      expect(result).toMatchObject({
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="oauth2"', 'cache-control': 'no-store' },
        body: { error: 'invalid_client' },
      })
    }
    expect(await isActive(pair.accessToken)).toBe(true)
  })

  it('answers a missing token with 400 invalid_request', async () => {
    expect(await read(await revoke(post({}, { basic: web })))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    })
  })

  it('answers GET with 405 and Allow: POST', async () => {
    expect(await read(await revoke(post('', { method: 'GET' })))).toMatchObject({
      status: 405,
      headers: { allow: 'POST' },
      body: { error: 'invalid_request' },
    })
  })
})

describe('revocation endpoint: a full store', () => {
  it('answers 503 temporarily_unavailable and tells reportError, which only observes', async () => {
    const full = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'a-test-secret-of-at-least-thirty-two-bytes!!',
      revocation: new MemoryRevocationStore({ maxEntries: 1 }),
      warn: () => {},
    })
    const seen: unknown[] = []
    const endpoint = createRevocationEndpoint({
      auth: full,
      clients,
      reportError: (error) => seen.push(error),
    })
    const first = await full.createToken('alice', { clientId: 'web' })
    const second = await full.createToken('bob', { clientId: 'web' })
    expect((await endpoint(post({ token: first }, { basic: web }))).status).toBe(200)
    expect(await read(await endpoint(post({ token: second }, { basic: web })))).toMatchObject({
      status: 503,
      body: { error: 'temporarily_unavailable' },
    })
    expect(seen).toEqual([expect.objectContaining({ code: 'ERR_STORE_FULL' })])
  })
})
