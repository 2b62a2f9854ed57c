import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { CredentialsMissingError, InsufficientScopeError } from '../errors.js'
import { respondWithError } from './respond.js'
import { setResponseConstructor } from './response.js'
import { withJwtAuth } from './with-jwt-auth.js'

// RFC 9449 §7.1: with DPoP allowed (the default), a request without credentials is offered both schemes.
const ALGS = 'algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"'
const NO_CREDENTIALS = `Bearer realm="api", DPoP realm="api", ${ALGS}`

const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'http-layer-respond-secret-0123456789abcdef',
  clock: () => Date.UTC(2026, 0, 1, 12),
})
const { accessToken } = await auth.createTokenPair('alice', { scope: 'read' })
const authorized = () =>
  new Request('https://api.test/admin', { headers: { authorization: `Bearer ${accessToken}` } })

/** What a guard from @covet/rbac does: check, then answer through respondWithError. */
const guarded = (error: InsufficientScopeError | CredentialsMissingError) => (request: Request) =>
  respondWithError(request, error)

describe('respondWithError', () => {
  it('answers a guard refusal with 403 insufficient_scope using the realm of the wrapping withJwtAuth', async () => {
    const app = withJwtAuth(guarded(new InsufficientScopeError(['users:write'])), {
      auth,
      realm: 'admin',
      resourceMetadata: 'https://api.test/.well-known/oauth-protected-resource',
    })
    const res = await app(authorized())
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="admin", error="insufficient_scope", error_description="The token does not grant access to this resource", scope="users:write", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    )
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'The token does not grant access to this resource',
      code: 'ERR_INSUFFICIENT_SCOPE',
    })
  })

  it('answers a guard that found no identity with 401 and no error code', async () => {
    const app = withJwtAuth(guarded(new CredentialsMissingError()), {
      auth,
      realm: 'api',
      exemptPaths: ['/*'],
    })
    const res = await app(new Request('https://api.test/admin'))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
  })

  it('goes through the onError hook of the wrapping withJwtAuth', async () => {
    const app = withJwtAuth(guarded(new InsufficientScopeError(['x'])), {
      auth,
      onError: (error) => new Response(error.code, { status: 418 }),
    })
    const res = await app(authorized())
    expect(res.status).toBe(418)
    expect(await res.text()).toBe('ERR_INSUFFICIENT_SCOPE')
  })

  it('keeps the answers of differently configured wrappers apart', async () => {
    const plain = withJwtAuth(() => new Response('ok'), { auth, realm: 'one' })
    const quoted = withJwtAuth(() => new Response('ok'), { auth, realm: 'two "quoted" \\ realm' })
    for (let i = 0; i < 2; i++) {
      const a = await plain(new Request('https://api.test/me'))
      const b = await quoted(new Request('https://api.test/me'))
      expect(a.headers.get('www-authenticate')).toBe(`Bearer realm="one", DPoP realm="one", ${ALGS}`)
      expect(b.headers.get('www-authenticate')).toBe(
        `Bearer realm="two \\"quoted\\" \\\\ realm", DPoP realm="two \\"quoted\\" \\\\ realm", ${ALGS}`,
      )
    }
  })

  it('uses defaults for a request no withJwtAuth wrapped', async () => {
    const res = await respondWithError(
      new Request('https://api.test/'),
      new InsufficientScopeError(['a', 'b']),
    )
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token does not grant access to this resource", scope="a b"',
    )
  })

  it('answers HEAD with headers only', async () => {
    const res = await respondWithError(
      new Request('https://api.test/', { method: 'HEAD' }),
      new CredentialsMissingError(),
    )
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.body).toBeNull()
  })
})

describe('setResponseConstructor', () => {
  class ServerResponse extends Response {}

  it('makes every error answer use the given Response constructor', async () => {
    const request = new Request('https://api.test/me')
    setResponseConstructor(request, ServerResponse)
    const res = await withJwtAuth(() => new Response('ok'), { auth })(request)
    expect(res).toBeInstanceOf(ServerResponse)
    expect(res.status).toBe(401)
  })

  it('leaves other requests on the global Response', async () => {
    const res = await withJwtAuth(() => new Response('ok'), { auth })(new Request('https://api.test/me'))
    expect(res).not.toBeInstanceOf(ServerResponse)
    expect(res).toBeInstanceOf(Response)
  })
})
