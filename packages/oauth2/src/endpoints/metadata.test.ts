import { createJwtAuth } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { CLIENTS, makeClients } from '../test-support/fixtures.js'
import { jwksHandler } from './jwks.js'
import { createMetadataEndpoint } from './metadata.js'

const get = (method = 'GET') =>
  new Request('https://auth.example.test/.well-known/oauth-authorization-server', { method })

describe('metadata endpoint (RFC 8414)', () => {
  const metadata = createMetadataEndpoint({
    issuer: 'https://auth.example.test',
    tokenEndpoint: '/oauth/token',
    revocationEndpoint: '/oauth/revoke',
    introspectionEndpoint: 'https://auth.example.test/oauth/introspect',
    jwksUri: '/.well-known/jwks.json',
    clients: makeClients(),
    extra: { service_documentation: 'https://docs.example.test' },
  })

  it('publishes the issuer, absolute endpoint URLs, grants, auth methods and scopes', async () => {
    const response = metadata(get())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(await response.json()).toEqual({
      issuer: 'https://auth.example.test',
      token_endpoint: 'https://auth.example.test/oauth/token',
      jwks_uri: 'https://auth.example.test/.well-known/jwks.json',
      scopes_supported: ['read', 'write', 'reports'],
      response_types_supported: [],
      grant_types_supported: ['password', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint: 'https://auth.example.test/oauth/revoke',
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint: 'https://auth.example.test/oauth/introspect',
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      // RFC 9449 §5.1: the token endpoint takes DPoP proofs by default.
      dpop_signing_alg_values_supported: [
        'ES256',
        'ES384',
        'ES512',
        'EdDSA',
        'PS256',
        'PS384',
        'PS512',
        'RS256',
        'RS384',
        'RS512',
      ],
      service_documentation: 'https://docs.example.test',
    })
  })

  it('reads grants from a plain client list without hashing, leaving out the password grant when no client has it', async () => {
    const only = createMetadataEndpoint({
      issuer: 'https://auth.example.test',
      tokenEndpoint: '/token',
      clients: CLIENTS.filter((c) => !c.grantTypes.includes('password')),
    })
    expect(await only(get()).json()).toMatchObject({ grant_types_supported: ['client_credentials'] })
  })

  it('answers HEAD without a body and POST with 405 Allow: GET, HEAD', async () => {
    const head = metadata(get('HEAD'))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const refused = metadata(get('POST'))
    expect(refused.status).toBe(405)
    expect(refused.headers.get('allow')).toBe('GET, HEAD')
  })

  it('refuses an issuer with a query or fragment, or that is not a URL', () => {
    for (const issuer of ['https://a.test/?x=1', 'https://a.test/#f', 'auth.example.test', 'ftp://a.test']) {
      expect(() => createMetadataEndpoint({ issuer, tokenEndpoint: '/t' })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG', field: 'issuer' }),
      )
    }
  })
})

describe('jwksHandler', () => {
  it('serves the public JWK Set of asymmetric keys, with no private members', async () => {
    const auth = await createJwtAuth({ algorithm: 'ES256', warn: () => {} })
    const response = jwksHandler(auth)(new Request('https://auth.example.test/jwks'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    const body = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(body).toEqual(auth.jwks())
    expect(body.keys).toHaveLength(1)
    expect(body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })
    expect(body.keys[0]).not.toHaveProperty('d')
  })

  it('shows a rotated key at once', async () => {
    const auth = await createJwtAuth({ algorithm: 'ES256', warn: () => {} })
    const jwks = jwksHandler(auth, { maxAge: 0 })
    const before = (await jwks(new Request('https://a.test/jwks')).json()) as { keys: { kid: string }[] }
    const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair
    await auth.updateKeys(privateKey)
    const after = (await jwks(new Request('https://a.test/jwks')).json()) as { keys: { kid: string }[] }
    expect(after.keys[0]!.kid).not.toBe(before.keys[0]!.kid)
  })

  it('takes its max-age as a Duration, in whole seconds', () => {
    const jwks = () => ({ keys: [] })
    const header = (maxAge: unknown) =>
      jwksHandler(
        { jwks },
        { maxAge: maxAge as '1m' },
      )(new Request('https://a.test/jwks')).headers.get('cache-control')
    expect(header('10m')).toBe('public, max-age=600')
    expect(header(60)).toBe('public, max-age=60')
    for (const maxAge of ['1500ms', -1, 'soon']) {
      expect(() => header(maxAge)).toThrow(
        expect.objectContaining({
          code: 'ERR_CONFIG',
          field: 'maxAge',
          message: 'maxAge: must be a whole number of seconds, such as 900, "90s" or "15m"',
        }),
      )
    }
  })

  it('answers POST with 405 and refuses something that is not an auth', () => {
    expect(
      jwksHandler({ jwks: () => ({ keys: [] }) })(new Request('https://a.test/jwks', { method: 'POST' }))
        .status,
    ).toBe(405)
    expect(() => jwksHandler({} as never)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }))
  })
})
