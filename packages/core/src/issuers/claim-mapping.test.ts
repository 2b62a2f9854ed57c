import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { forge, hmacKey } from '../test-support/jws.js'
import type { IssuerConfig } from './options.js'

// Where an issuer's tokens keep roles, permissions and scopes: a claim path, a dotted string, or a
// function; what it finds grants only as an array of strings or one string.
const ISSUER = 'https://hmac-issuer.test'
const API = 'https://api.test'
const SECRET = 'a-shared-secret-of-at-least-32-bytes!'
const now = () => Math.floor(Date.now() / 1000)

async function rightsOf(mapping: Partial<IssuerConfig>, claims: Record<string, unknown>, cache = false) {
  const auth = await createJwtAuth({
    issuers: [{ issuer: ISSUER, audience: API, secret: SECRET, ...mapping }],
    cache,
  })
  const token = await forge(
    await hmacKey(SECRET, 'HS256'),
    'HS256',
    { alg: 'HS256', typ: 'JWT' },
    { iss: ISSUER, aud: API, sub: 'alice', iat: now(), exp: now() + 60, ...claims },
  )
  const { roles, permissions, scopes } = await auth.verifyToken(token)
  return { roles, permissions, scopes }
}

describe('reading rights from another issuer’s claims', () => {
  it('reads roles, permissions and scope by default', async () => {
    await expect(
      rightsOf({}, { roles: ['admin'], permissions: ['orders:read'], scope: 'read  write' }),
    ).resolves.toEqual({ roles: ['admin'], permissions: ['orders:read'], scopes: ['read', 'write'] })
  })

  it('reads scp (a string or an array, as Entra ID writes it) when there is no scope', async () => {
    await expect(rightsOf({}, { scp: 'Orders.Read Orders.Write' })).resolves.toMatchObject({
      scopes: ['Orders.Read', 'Orders.Write'],
    })
    await expect(rightsOf({}, { scp: ['Orders.Read'] })).resolves.toMatchObject({ scopes: ['Orders.Read'] })
    await expect(rightsOf({}, { scope: 'read', scp: 'Orders.Read' })).resolves.toMatchObject({
      scopes: ['read'],
    })
  })

  it('follows a path of segments, for a claim name with dots, and a dotted string', async () => {
    const claims = {
      'https://acme.example/roles': ['editor'],
      realm_access: { roles: ['offline_access', 'admin'] },
      resource_access: { 'orders-api': { roles: ['orders:write'] } },
    }
    await expect(
      rightsOf(
        {
          roles: ['https://acme.example/roles'],
          permissions: ['resource_access', 'orders-api', 'roles'],
          scopes: 'realm_access.roles',
        },
        claims,
      ),
    ).resolves.toEqual({
      roles: ['editor'],
      permissions: ['orders:write'],
      scopes: ['offline_access', 'admin'],
    })
  })

  it('takes one string as one role or permission, and as space-separated scopes', async () => {
    await expect(
      rightsOf(
        { roles: 'user_role', permissions: 'o.per', scopes: 'o.scp' },
        { user_role: 'admin', o: { per: 'x', scp: 'a b' } },
      ),
    ).resolves.toEqual({ roles: ['admin'], permissions: ['x'], scopes: ['a', 'b'] })
  })

  it('grants nothing for any other shape, a missing path, or a prototype’s member', async () => {
    for (const roles of [42, { admin: true }, ['admin', 1], '', null]) {
      await expect(rightsOf({}, { roles })).resolves.toMatchObject({ roles: [] })
    }
    await expect(rightsOf({ roles: 'a.b.c' }, { a: { b: 'not an object' } })).resolves.toMatchObject({
      roles: [],
    })
    await expect(rightsOf({ roles: ['constructor', 'name'] }, {})).resolves.toMatchObject({ roles: [] })
    await expect(rightsOf({ roles: 'roles.length' }, { roles: ['a'] })).resolves.toMatchObject({ roles: [] })
  })

  it('calls a function with the verified claims', async () => {
    const roles = (claims: Record<string, unknown>) =>
      (claims.groups as string[]).map((group) => group.replace(/^\//, ''))
    await expect(rightsOf({ roles }, { groups: ['/admins', '/staff'] })).resolves.toMatchObject({
      roles: ['admins', 'staff'],
    })
  })

  it('refuses the token (401 claims) when the function throws', async () => {
    const roles = (claims: Record<string, unknown>) => (claims.o as { rol: string }).rol
    await expect(rightsOf({ roles }, {})).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'claims',
    })
  })

  it('freezes the lists of a cached result, shared by every request', async () => {
    const rights = await rightsOf({ scopes: ['scp'] }, { roles: ['admin'], scp: ['a'] }, true)
    expect(Object.isFrozen(rights.roles)).toBe(true)
    expect(Object.isFrozen(rights.scopes)).toBe(true)
  })
})
