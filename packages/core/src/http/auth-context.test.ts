import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import * as core from '../index.js'
import { getAuth } from './auth-context.js'
import { withJwtAuth } from './with-jwt-auth.js'

const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'http-layer-context-secret-0123456789abcdef',
  issuer: 'https://issuer.test',
  clock: () => Date.UTC(2026, 0, 1, 12),
})

describe('getAuth', () => {
  it('returns the whole verified identity inside the handler', async () => {
    const { accessToken } = await auth.createTokenPair('alice', {
      roles: ['admin'],
      permissions: ['users:read'],
      scope: 'read write',
    })
    let seen: ReturnType<typeof getAuth>
    const app = withJwtAuth(
      (request) => {
        seen = getAuth(request, auth)
        return new Response('ok')
      },
      { auth },
    )
    await app(new Request('https://api.test/me', { headers: { authorization: `Bearer ${accessToken}` } }))
    expect(seen).toMatchObject({
      type: 'access',
      subject: 'alice',
      roles: ['admin'],
      permissions: ['users:read'],
      scopes: ['read', 'write'],
      token: accessToken,
      claims: { sub: 'alice', iss: 'https://issuer.test' },
    })
  })

  it('is undefined for a request no withJwtAuth wrapped', () => {
    expect(getAuth(new Request('https://api.test/'))).toBeUndefined()
  })

  it('keeps identities of concurrent requests apart', async () => {
    const pairs = await Promise.all(['a', 'b', 'c'].map((sub) => auth.createTokenPair(sub)))
    const app = withJwtAuth(
      async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return new Response(getAuth(request)?.subject)
      },
      { auth },
    )
    const bodies = await Promise.all(
      pairs.map(async ({ accessToken }) => {
        const res = await app(
          new Request('https://api.test/', { headers: { authorization: `Bearer ${accessToken}` } }),
        )
        return res.text()
      }),
    )
    expect(bodies).toEqual(['a', 'b', 'c'])
  })
})

describe('one way to read an identity', () => {
  it('is getAuth: the instance has no getAuth, and no attachAuth writes one from outside', () => {
    expect('getAuth' in auth).toBe(false)
    expect(Object.keys(core)).toContain('getAuth')
    expect(Object.keys(core)).not.toContain('attachAuth')
  })
})

describe('request state', () => {
  it('keeps the identity of a request that takes no new property, and of a refusing proxy', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const init = { headers: { authorization: `Bearer ${accessToken}` } }
    const frozen = Object.freeze(new Request('https://api.test/me', init))
    const refusing = new Proxy(new Request('https://api.test/me', init), {
      set: () => false,
      get: (target, name) => {
        const value = Reflect.get(target, name, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    for (const request of [frozen, refusing]) {
      const app = withJwtAuth((r) => Response.json({ subject: getAuth(r)?.subject ?? null }), { auth })
      const res = await app(request)
      expect(await res.json()).toEqual({ subject: 'alice' })
      expect(getAuth(request)?.subject).toBe('alice')
    }
  })

  it('leaves no enumerable trace on the request', async () => {
    const { accessToken } = await auth.createTokenPair('alice')
    const request = new Request('https://api.test/me', {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    await withJwtAuth(() => new Response('ok'), { auth })(request)
    expect(getAuth(request)?.subject).toBe('alice')
    expect(Object.keys(request)).toEqual([])
    expect(JSON.stringify(request)).toBe('{}')
  })
})

describe('the answers withJwtAuth gives itself', () => {
  it('are shaped by its own options, with nothing written on the refused request', async () => {
    const seen: string[] = []
    const app = withJwtAuth(() => new Response('ok'), {
      auth,
      realm: 'api',
      onError: (error) => void seen.push(error.code),
    })
    const requests = [
      new Request('https://api.test/me'),
      new Request('https://api.test/me', { headers: { authorization: 'Bearer not-a-jwt' } }),
      new Request('https://api.test/me', { headers: { authorization: 'Bearer a b' } }),
    ]
    const statuses: number[] = []
    for (const request of requests) {
      const res = await app(request)
      statuses.push(res.status)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="api"/)
      // The registered key request state lives under (context.ts).
      expect(Object.hasOwn(request, Symbol.for('covet.requestState'))).toBe(false)
    }
    expect(statuses).toEqual([401, 401, 400])
    expect(seen).toEqual(['ERR_CREDENTIALS_MISSING', 'ERR_TOKEN_INVALID', 'ERR_INVALID_REQUEST'])
  })
})
