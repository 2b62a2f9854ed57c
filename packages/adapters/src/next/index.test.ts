import { createDpopProof, createJwtAuth, getAuth, withJwtAuth } from '@covet/core'
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import * as next from './index.js'
import { createJwtProxy, getProxyAuth, toRouteHandler } from './index.js'

const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'a-test-secret-that-is-long-enough-for-hs256!',
  issuer: 'https://issuer.test',
  audience: 'api',
})
const proxy = createJwtProxy({ auth, realm: 'api', exemptPaths: ['/open'] })
const forged = 'eyJhdCI6MCwiaWRlbnRpdHkiOnsic3ViamVjdCI6ImFkbWluIn19.AAAA'

/** The request a route handler would receive after the proxy let `response` through. */
function forwarded(request: Request, response: Response): Request {
  const headers = new Headers()
  for (const name of response.headers.get('x-middleware-override-headers')?.split(',') ?? []) {
    const value = response.headers.get(`x-middleware-request-${name}`)
    if (value !== null) headers.set(name, value)
  }
  return new Request(request.url, { headers })
}

describe('createJwtProxy', () => {
  it('forwards a signed identity that getProxyAuth reads back, replacing a client-sent one', async () => {
    const token = await auth.createToken('alice', { roles: ['reader'] })
    const request = new Request('http://app.test/api/x', {
      headers: { authorization: `Bearer ${token}`, 'x-covet-identity': forged },
    })
    const response = await proxy(request)
    expect(response.headers.get('x-middleware-next')).toBe('1')
    const identity = await getProxyAuth(forwarded(request, response))
    expect(identity).toMatchObject({ subject: 'alice', roles: ['reader'], type: 'access' })
    expect(identity).not.toHaveProperty('token')
  })

  it('forwards the identity of a DPoP-bound token and its proof exactly as that of a bearer token (RFC 9449)', async () => {
    const key = await generateKeyPair('ES256')
    const jkt = await calculateJwkThumbprint(await exportJWK(key.publicKey))
    const url = 'http://app.test/api/x'
    const identityOf = async (headers: Record<string, string>) => {
      const request = new Request(url, { headers: { ...headers, 'x-covet-identity': forged } })
      const response = await proxy(request)
      expect(response.headers.get('x-middleware-next')).toBe('1')
      return getProxyAuth(forwarded(request, response))
    }
    const bound = await auth.createToken('alice', { roles: ['reader'], dpopJkt: jkt })
    const proof = await createDpopProof(key, 'ES256', { method: 'GET', url, accessToken: bound })
    const viaDpop = await identityOf({ authorization: `DPoP ${bound}`, dpop: proof })
    const viaBearer = await identityOf({
      authorization: `Bearer ${await auth.createToken('alice', { roles: ['reader'] })}`,
    })
    const { claims: dpopClaims, jti: _a, issuedAt: _b, expiresAt: _c, ...dpopRest } = viaDpop!
    const { claims: bearerClaims, jti: _d, issuedAt: _e, expiresAt: _f, ...bearerRest } = viaBearer!
    expect(dpopRest).toEqual(bearerRest)
    expect(dpopRest).toMatchObject({ subject: 'alice', roles: ['reader'], type: 'access' })
    expect(dpopClaims.cnf).toEqual({ jkt })
    expect(bearerClaims.cnf).toBeUndefined()
    // The proof was spent by the proxy: sent again, the proxy answers 401 itself.
    const replayed = await proxy(
      new Request(url, { headers: { authorization: `DPoP ${bound}`, dpop: proof } }),
    )
    expect(replayed.status).toBe(401)
    expect(replayed.headers.has('x-middleware-next')).toBe(false)
    expect((await replayed.json()).code).toBe('ERR_DPOP_PROOF_INVALID')
  })

  it('deletes a client-sent identity header on an exempt path too', async () => {
    const request = new Request('http://app.test/open', { headers: { 'x-covet-identity': forged } })
    const response = await proxy(request)
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(response.headers.get('x-middleware-override-headers')).toBe('')
    expect(forwarded(request, response).headers.has('x-covet-identity')).toBe(false)
  })

  it('answers 401 itself when the token is missing', async () => {
    const response = await proxy(new Request('http://app.test/api/x'))
    expect(response.status).toBe(401)
    // RFC 9449 §7.1: with DPoP allowed (the default), both schemes are offered.
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", DPoP realm="api", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
    )
    expect(response.headers.has('x-middleware-next')).toBe(false)
  })

  it('refuses a secret shorter than 32 characters', async () => {
    await expect(
      getProxyAuth(new Request('http://app.test/', { headers: { 'x-covet-identity': 'a.b' } }), {
        secret: 'short',
      }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG',
    })
  })
})

describe('getProxyAuth', () => {
  it('ignores a header the proxy did not sign', async () => {
    const request = new Request('http://app.test/', { headers: { 'x-covet-identity': forged } })
    expect(await getProxyAuth(request)).toBeUndefined()
  })

  it('ignores a header signed with another secret', async () => {
    const proxyWithSecret = createJwtProxy({ auth, secret: 'another-secret-of-at-least-32-characters' })
    const token = await auth.createToken('alice')
    const request = new Request('http://app.test/', { headers: { authorization: `Bearer ${token}` } })
    const through = forwarded(request, await proxyWithSecret(request))
    expect(await getProxyAuth(through, { secret: 'another-secret-of-at-least-32-characters' })).toMatchObject(
      { subject: 'alice' },
    )
    expect(await getProxyAuth(through)).toBeUndefined()
  })
})

describe('toRouteHandler', () => {
  const params = { params: Promise.resolve({ id: '7' }) }
  const bearer = async (subject: string) =>
    new Request('http://app.test/items/7', {
      headers: { authorization: `Bearer ${await auth.createToken(subject)}` },
    })

  it("keeps Next's (request, { params }) signature around core's withJwtAuth", async () => {
    const GET = toRouteHandler(
      withJwtAuth(
        async (request: Request, { params }: { params: Promise<{ id: string }> }) =>
          Response.json({ id: (await params).id, subject: getAuth(request)?.subject }),
        { auth },
      ),
    )
    const response = await GET(await bearer('bob'), params)
    expect(await response.json()).toEqual({ id: '7', subject: 'bob' })
  })

  it('answers an escaped error with a bare 500 problem and reports it, as every adapter does', async () => {
    const reported: unknown[] = []
    const bug = new Error('internal detail')
    const GET = toRouteHandler(
      withJwtAuth(
        (_request: Request, _context: typeof params) => {
          throw bug
        },
        { auth },
      ),
      { reportError: (error, request) => reported.push(error, request?.url) },
    )
    const response = await GET(await bearer('bob'), params)
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
    expect(reported).toEqual([bug, 'http://app.test/items/7'])
  })

  it('lets redirect() and notFound() through for Next.js to handle', async () => {
    const redirect = Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;replace;/login;307;',
    })
    const GET = toRouteHandler(() => {
      throw redirect
    })
    await expect(GET(new Request('http://app.test/'))).rejects.toBe(redirect)
  })

  it("is the one wrapper: core's withJwtAuth protects, the adapter exports no second one", () => {
    expect(Object.keys(next)).not.toContain('withJwtAuth')
  })
})
