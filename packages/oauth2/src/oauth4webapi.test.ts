import { type RunningServer, serve } from '@covet/adapters/node'
import { createJwtAuth, type JwtAuth } from '@covet/core'
import * as oauth from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIntrospectionEndpoint } from './endpoints/introspection.js'
import { jwksHandler } from './endpoints/jwks.js'
import { createMetadataEndpoint } from './endpoints/metadata.js'
import { createRevocationEndpoint } from './endpoints/revocation.js'
import { createTokenEndpoint } from './endpoints/token.js'
import { makeClients, SECRETS, verifyUser } from './test-support/fixtures.js'

// A strict, spec-checking client talks to the endpoints over real HTTP through the Node adapter.
let server: RunningServer
let auth: JwtAuth<object>
let as: oauth.AuthorizationServer
let issuer: URL
const routes = new Map<string, (request: Request) => Response | Promise<Response>>()
const insecure = { [oauth.allowInsecureRequests]: true } as const

beforeAll(async () => {
  server = await serve((request: Request) => {
    const route = routes.get(new URL(request.url).pathname)
    return route ? route(request) : new Response('not found', { status: 404 })
  })
  issuer = new URL(server.url)
  auth = await createJwtAuth({
    algorithm: 'ES256',
    issuer: issuer.href,
    audience: 'covet-api',
    warn: () => {},
  })
  const clients = makeClients()
  routes.set('/oauth/token', createTokenEndpoint({ auth, clients, verifyUser }))
  routes.set('/oauth/revoke', createRevocationEndpoint({ auth, clients }))
  routes.set('/oauth/introspect', createIntrospectionEndpoint({ auth, clients }))
  routes.set('/.well-known/jwks.json', jwksHandler(auth))
  routes.set(
    '/.well-known/oauth-authorization-server',
    createMetadataEndpoint({
      issuer: issuer.href,
      tokenEndpoint: '/oauth/token',
      revocationEndpoint: '/oauth/revoke',
      introspectionEndpoint: '/oauth/introspect',
      jwksUri: '/.well-known/jwks.json',
      clients,
    }),
  )
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' }),
  )
})

afterAll(() => server?.close())

const web: oauth.Client = { client_id: 'web' }
const webAuth = oauth.ClientSecretBasic(SECRETS.web)

async function passwordLogin(scope = 'read write') {
  const response = await oauth.genericTokenEndpointRequest(
    as,
    web,
    webAuth,
    'password',
    { username: 'alice', password: 'correct horse battery staple', scope },
    insecure,
  )
  return oauth.processGenericTokenEndpointResponse(as, web, response)
}

describe('oauth4webapi against the endpoints over HTTP', () => {
  it('discovers the server metadata (RFC 8414)', () => {
    expect(as).toMatchObject({
      issuer: issuer.href,
      token_endpoint: new URL('/oauth/token', issuer).href,
      revocation_endpoint: new URL('/oauth/revoke', issuer).href,
      introspection_endpoint: new URL('/oauth/introspect', issuer).href,
      grant_types_supported: ['password', 'client_credentials', 'refresh_token'],
    })
  })

  it('gets a client_credentials token with client_secret_basic for the id "an:identifier" (RFC 6749 §2.3.1)', async () => {
    const client = { client_id: 'an:identifier' }
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(SECRETS.odd),
      { scope: 'read' },
      insecure,
    )
    expect(response.headers.get('cache-control')).toBe('no-store')
    const result = await oauth.processClientCredentialsResponse(as, client, response)
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: 'read' })
    expect(result.refresh_token).toBeUndefined()
  })

  it('gets a client_credentials token with client_secret_post', async () => {
    const client = { client_id: 'batch' }
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(SECRETS.batch),
      {},
      insecure,
    )
    expect((await oauth.processClientCredentialsResponse(as, client, response)).access_token).toEqual(
      expect.any(String),
    )
  })

  it('refreshes a password-grant pair, the new access token verifying against the published JWK Set', async () => {
    const first = await passwordLogin()
    const response = await oauth.refreshTokenGrantRequest(as, web, webAuth, first.refresh_token!, {
      ...insecure,
      additionalParameters: { scope: 'read' },
    })
    const next = await oauth.processRefreshTokenResponse(as, web, response)
    expect(next).toMatchObject({ token_type: 'bearer', scope: 'read', refresh_token: expect.any(String) })
    const resourceServer = await createJwtAuth({
      algorithm: 'ES256',
      jwksUri: as.jwks_uri!,
      issuer: issuer.href,
      audience: 'covet-api',
    })
    expect(await resourceServer.verifyToken(next.access_token)).toMatchObject({
      subject: 'alice',
      scopes: ['read'],
    })
  })

  it('introspects, revokes, then introspects a refresh token as inactive', async () => {
    const pair = await passwordLogin()
    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        as,
        web,
        await oauth.introspectionRequest(as, web, webAuth, token, insecure),
      )
    expect(await introspect(pair.access_token)).toMatchObject({
      active: true,
      sub: 'alice',
      client_id: 'web',
      scope: 'read write',
    })
    const revoked = await oauth.revocationRequest(as, web, webAuth, pair.refresh_token!, {
      ...insecure,
      additionalParameters: { token_type_hint: 'refresh_token' },
    })
    expect(await oauth.processRevocationResponse(revoked)).toBeUndefined()
    expect(await introspect(pair.refresh_token!)).toEqual({ active: false })
    expect(await introspect(pair.access_token)).toEqual({ active: false })
  })

  it('surfaces invalid_client as a Basic challenge and invalid_grant as a §5.2 error body', async () => {
    const wrong = await oauth.clientCredentialsGrantRequest(
      as,
      web,
      oauth.ClientSecretBasic('wrong'),
      {},
      insecure,
    )
    const challenge = await oauth
      .processClientCredentialsResponse(as, web, wrong)
      .catch((error: unknown) => error)
    expect(challenge).toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
    expect((challenge as oauth.WWWAuthenticateChallengeError).cause).toEqual([
      { scheme: 'basic', parameters: { realm: 'oauth2' } },
    ])
    expect((challenge as oauth.WWWAuthenticateChallengeError).status).toBe(401)

    const spent = await oauth.refreshTokenGrantRequest(as, web, webAuth, 'not-a-refresh-token', insecure)
    const error = await oauth.processRefreshTokenResponse(as, web, spent).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oauth.ResponseBodyError)
    expect(error).toMatchObject({ error: 'invalid_grant', status: 400 })
  })
})
