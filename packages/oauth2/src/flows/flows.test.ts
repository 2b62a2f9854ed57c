import type { JwtAuth } from '@covet/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTokenEndpoint } from '../endpoints/token.js'
import { createMemoryLimiter } from '../limiter/memory.js'
import { expectError } from '../test-support/expect.js'
import { makeAuth, makeClients, post, SECRETS, USERS, verifyUser } from '../test-support/fixtures.js'
import { OAuth2ClientCredentialsFlow } from './client-credentials.js'
import { OAuth2PasswordFlow } from './password.js'

// The flows are the token endpoint's grants without HTTP: the rules (scopes, client grants,
// throttling) are the grants' own and are tested with them; these tests check the flows reach them.
let auth: JwtAuth<object>
beforeAll(async () => {
  auth = await makeAuth()
})

const alice = USERS.alice!.password
const app = { clientId: 'app', scopes: ['read', 'write'] }

describe('OAuth2PasswordFlow', () => {
  const scoped = async (username: string, password: string) =>
    username === 'alice' && password === alice ? { subject: 'u-1', roles: ['admin'], scopes: ['read'] } : null

  it('issues a pair to its client carrying the user, roles and requested scope', async () => {
    const flow = new OAuth2PasswordFlow({ auth, verifyUser: scoped, client: app })
    const pair = await flow.authenticate('alice', alice, ['read'])
    expect(pair).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 86400,
      scope: 'read',
    })
    expect(await auth.verifyToken(pair!.accessToken)).toMatchObject({
      subject: 'u-1',
      roles: ['admin'],
      scopes: ['read'],
      clientId: 'app',
    })
    expect(await auth.verifyToken(pair!.refreshToken, { type: 'refresh' })).toMatchObject({ subject: 'u-1' })
  })

  it("answers null for wrong credentials, a scope beyond its client's, and a scope the user cannot hold", async () => {
    const flow = new OAuth2PasswordFlow({ auth, verifyUser: scoped, client: app })
    expect(await flow.authenticate('alice', 'wrong')).toBeNull()
    expect(await flow.authenticate('nobody', alice)).toBeNull()
    expect(await flow.authenticate('alice', alice, ['admin'])).toBeNull()
    expect(await flow.authenticate('alice', alice, ['write'])).toBeNull()
  })

  it('gives a client that lists no scopes no scope, as the token endpoint does (one rule)', async () => {
    const flow = new OAuth2PasswordFlow({ auth, verifyUser, client: { clientId: 'bare' } })
    expect(await flow.authenticate('alice', alice, ['read'])).toBeNull()
    expect(await flow.authenticate('alice', alice)).toMatchObject({ scope: undefined })
  })

  it('is throttled like the password grant: a locked username gets a coded 429 refusal, right password or not', async () => {
    const limiter = createMemoryLimiter({ limit: 3, window: '15m' })
    const flow = new OAuth2PasswordFlow({ auth, verifyUser, client: app, limiter })
    for (let i = 0; i < 3; i++) expect(await flow.authenticate('alice', `wrong-${i}`)).toBeNull()
    await expect(flow.authenticate('alice', alice)).rejects.toMatchObject({
      code: 'ERR_OAUTH_TEMPORARILY_UNAVAILABLE',
      status: 429,
      headers: { 'retry-after': expect.stringMatching(/^[1-9][0-9]*$/) },
    })
  })

  it("spends one budget with the token endpoint of the same auth (the limiter's default)", async () => {
    const shared = await makeAuth()
    const endpoint = createTokenEndpoint({ auth: shared, clients: makeClients(), verifyUser })
    const flow = new OAuth2PasswordFlow({ auth: shared, verifyUser, client: app })
    for (let i = 0; i < 10; i++) {
      const form = { grant_type: 'password', username: 'bob', password: `wrong-${i}` }
      expect((await endpoint(post(form, { basic: ['web', SECRETS.web] }))).status).toBe(400)
    }
    await expect(flow.authenticate('bob', USERS.bob!.password)).rejects.toMatchObject({ status: 429 })
  })

  it('refuses a missing verifier or client at construction', () => {
    expect(() => new OAuth2PasswordFlow({ auth, verifyUser: undefined as never, client: app })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'verifyUser' }),
    )
    expect(() => new OAuth2PasswordFlow({ auth, verifyUser, client: undefined as never })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'client' }),
    )
    expect(
      () => new OAuth2PasswordFlow({ auth, verifyUser, client: { clientId: 'app', scopes: ['a b'] } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', field: 'client.scopes[0]' }))
  })
})

describe('OAuth2ClientCredentialsFlow', () => {
  const clients = makeClients()
  const flow = () => new OAuth2ClientCredentialsFlow({ auth, clients })

  it('issues an access token to a client of the registry', async () => {
    const result = await flow().authenticate('batch', SECRETS.batch, ['reports'])
    expect(result).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      scope: 'reports',
    })
    expect(await auth.verifyToken(result!.accessToken)).toMatchObject({
      subject: 'batch',
      clientId: 'batch',
      roles: ['service'],
    })
  })

  it("answers null for a wrong secret, an unknown client, a scope beyond the client's and a client without the grant", async () => {
    expect(await flow().authenticate('batch', 'wrong')).toBeNull()
    expect(await flow().authenticate('nobody', SECRETS.batch)).toBeNull()
    expect(await flow().authenticate('batch', SECRETS.batch, ['admin'])).toBeNull()
    expect(await flow().authenticate('web', SECRETS.web)).toBeNull()
  })

  it('gives a client that lists no scopes no scope, as the token endpoint does (one rule)', async () => {
    // `rs` lists no scopes: the endpoint answers invalid_scope, and so does the flow (null).
    const endpoint = createTokenEndpoint({ auth, clients, verifyUser })
    const form = { grant_type: 'client_credentials', scope: 'read' }
    await expectError(await endpoint(post(form, { basic: ['rs', SECRETS.rs] })), 400, 'invalid_scope')
    expect(await flow().authenticate('rs', SECRETS.rs, ['read'])).toBeNull()
    expect(await flow().authenticate('rs', SECRETS.rs)).toMatchObject({ scope: undefined })
  })

  it('refuses a missing registry at construction', () => {
    expect(() => new OAuth2ClientCredentialsFlow({ auth, clients: undefined as never })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'clients' }),
    )
  })
})
