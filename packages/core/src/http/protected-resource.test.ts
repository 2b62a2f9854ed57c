import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { ConfigError } from '../errors.js'
import { createProtectedResource } from './protected-resource.js'
import { withJwtAuth } from './with-jwt-auth.js'

const DPOP_ALGS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512']

const resource = createProtectedResource({
  resource: 'https://api.test',
  authorizationServers: ['https://auth.test'],
  scopesSupported: ['read', 'write'],
})

describe('createProtectedResource', () => {
  it('describes the resource with RFC 9728 member names', () => {
    expect(resource.metadata).toEqual({
      resource: 'https://api.test',
      authorization_servers: ['https://auth.test'],
      bearer_methods_supported: ['header'],
      scopes_supported: ['read', 'write'],
      dpop_signing_alg_values_supported: DPOP_ALGS,
    })
    expect(resource.path).toBe('/.well-known/oauth-protected-resource')
    expect(resource.metadataUrl).toBe('https://api.test/.well-known/oauth-protected-resource')
  })

  it('inserts the well-known segment before the path of a resource with one', () => {
    const nested = createProtectedResource({ resource: 'https://api.test/v1' })
    expect(nested.metadataUrl).toBe('https://api.test/.well-known/oauth-protected-resource/v1')
    expect(nested.metadata).toEqual({
      resource: 'https://api.test/v1',
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: DPOP_ALGS,
    })
  })

  it('says DPoP-bound tokens are required, with the proof algorithms, or that DPoP is not taken (RFC 9728 §2)', () => {
    const required = createProtectedResource({
      resource: 'https://api.test',
      dpopSigningAlgValuesSupported: ['ES256', 'EdDSA'],
      dpopBoundAccessTokensRequired: true,
    })
    expect(required.metadata).toEqual({
      resource: 'https://api.test',
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA'],
      dpop_bound_access_tokens_required: true,
    })
    const off = createProtectedResource({
      resource: 'https://api.test',
      dpopSigningAlgValuesSupported: false,
    })
    expect(off.metadata).toEqual({ resource: 'https://api.test', bearer_methods_supported: ['header'] })
    expect(() =>
      createProtectedResource({
        resource: 'https://api.test',
        dpopSigningAlgValuesSupported: false,
        dpopBoundAccessTokensRequired: true,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        field: 'resourceMetadata.dpopSigningAlgValuesSupported',
      }),
    )
  })

  it('serves the metadata as JSON on GET and headers only on HEAD', async () => {
    const res = resource.handler(new Request(resource.metadataUrl))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual(resource.metadata)
    const head = resource.handler(new Request(resource.metadataUrl, { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
  })

  it('answers 405 to other methods and 404 to other paths', () => {
    const post = resource.handler(new Request(resource.metadataUrl, { method: 'POST' }))
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(resource.handler(new Request('https://api.test/other')).status).toBe(404)
  })

  it('refuses a resource that is not an https URL, except on a loopback host', () => {
    expect(() => createProtectedResource({ resource: 'http://api.test' })).toThrow(
      new ConfigError('resourceMetadata.resource', 'must be an https URL (http only on a loopback host)'),
    )
    expect(() => createProtectedResource({ resource: 'https://api.test/#x' })).toThrow(
      new ConfigError('resourceMetadata.resource', 'must not have a fragment'),
    )
    expect(() => createProtectedResource({ resource: 'not a url' })).toThrow(
      new ConfigError('resourceMetadata.resource', 'must be an absolute URL'),
    )
    expect(createProtectedResource({ resource: 'http://localhost:3000' }).metadataUrl).toBe(
      'http://localhost:3000/.well-known/oauth-protected-resource',
    )
  })
})

describe('withJwtAuth with resource metadata', () => {
  it('refuses dpop "required" with metadata that does not say DPoP-bound tokens are required', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'http-layer-metadata-secret-0123456789abcdef',
    })
    expect(() =>
      withJwtAuth(() => new Response('ok'), { auth, dpop: 'required', resourceMetadata: resource }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', field: 'resourceMetadata' }))
    const required = createProtectedResource({
      resource: 'https://api.test',
      dpopBoundAccessTokensRequired: true,
    })
    expect(() =>
      withJwtAuth(() => new Response('ok'), { auth, dpop: 'required', resourceMetadata: required }),
    ).not.toThrow()
  })

  it('serves the metadata without a token and advertises it in every challenge', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'http-layer-metadata-secret-0123456789abcdef',
      clock: () => Date.UTC(2026, 0, 1, 12),
    })
    const app = withJwtAuth(() => new Response('ok'), { auth, realm: 'api', resourceMetadata: resource })
    const metadata = await app(new Request('https://api.test/.well-known/oauth-protected-resource'))
    expect(metadata.status).toBe(200)
    expect(await metadata.json()).toEqual(resource.metadata)
    const denied = await app(new Request('https://api.test/me'))
    expect(denied.status).toBe(401)
    expect(denied.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", resource_metadata="https://api.test/.well-known/oauth-protected-resource", ' +
        'DPoP realm="api", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    )
  })
})
