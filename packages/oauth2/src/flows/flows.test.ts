import type { JwtAuth } from '@covet/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeAuth, makeClients, SECRETS } from '../test-support/fixtures.js'
import { OAuth2ClientCredentialsFlow } from './client-credentials.js'
import { OAuth2PasswordFlow } from './password.js'

let auth: JwtAuth<object>
beforeAll(async () => {
  auth = await makeAuth()
})

describe('OAuth2PasswordFlow', () => {
  const verify = async (username: string, password: string) =>
    username === 'alice' && password === 'pw'
      ? { subject: 'u-1', roles: ['admin'], scopes: ['read', 'write'] }
      : null

  it('issues a pair carrying the user, roles and requested scope', async () => {
    const pair = await new OAuth2PasswordFlow(auth, verify).authenticate('alice', 'pw', ['read'])
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, scope: 'read' })
    expect(await auth.verifyToken(pair!.accessToken)).toMatchObject({
      subject: 'u-1',
      roles: ['admin'],
      scopes: ['read'],
    })
    expect(await auth.verifyToken(pair!.refreshToken, { type: 'refresh' })).toMatchObject({ subject: 'u-1' })
  })

  it('answers null for wrong credentials and for scopes the user cannot hold', async () => {
    const flow = new OAuth2PasswordFlow(auth, verify)
    expect(await flow.authenticate('alice', 'wrong', [])).toBeNull()
    expect(await flow.authenticate('nobody', 'pw', [])).toBeNull()
    expect(await flow.authenticate('alice', 'pw', ['admin'])).toBeNull()
  })

  it('refuses a missing verifier at construction', () => {
    expect(() => new OAuth2PasswordFlow(auth, undefined as never)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }),
    )
  })
})

describe('OAuth2ClientCredentialsFlow', () => {
  const clients = makeClients()
  const flow = () => new OAuth2ClientCredentialsFlow(auth, (id, secret) => clients.authenticate(id, secret))

  it('issues an access token for the client with a registry as the verifier', async () => {
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

  it("answers null for a wrong secret, an unknown client and a scope beyond the client's", async () => {
    expect(await flow().authenticate('batch', 'wrong', [])).toBeNull()
    expect(await flow().authenticate('nobody', SECRETS.batch, [])).toBeNull()
    expect(await flow().authenticate('batch', SECRETS.batch, ['admin'])).toBeNull()
  })

  it('accepts a verifier that answers true', async () => {
    const result = await new OAuth2ClientCredentialsFlow(auth, async () => true).authenticate('svc', 'x')
    expect(result).toMatchObject({ scope: undefined })
  })
})
