import { withJwtAuth } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { auth, call, expectForbidden, mount, ok, rbac, SECRET } from '../test-support/guard-harness.js'
import { resign } from '../test-support/resign.js'
import { requirePermissions } from './require-permissions.js'
import { requireRoles } from './require-roles.js'
import { requireScopes } from './require-scopes.js'

// RFC 9449 §7.1: with DPoP allowed (the default), a request without credentials is offered both schemes.
const NO_CREDENTIALS =
  'Bearer realm="api", DPoP realm="api", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"'

describe('guards without an identity', () => {
  const unauthorized = {
    type: 'about:blank',
    title: 'Unauthorized',
    status: 401,
    detail: 'Authentication is required',
    code: 'ERR_CREDENTIALS_MISSING',
  }

  it('answer 401 with the bare challenge on an optional path reached without a token', async () => {
    const res = await call(requirePermissions('posts:read')(ok), undefined, '/public/page')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
    expect(await res.json()).toEqual(unauthorized)
  })

  it('answer 401 with a realm-less challenge when no withJwtAuth wrapped the route', async () => {
    const res = await requireRoles('admin')(ok)(new Request('https://api.test/admin'))
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(await res.json()).toEqual(unauthorized)
  })
})

describe('stacked guards', () => {
  const roleThenPermission = requireRoles('editor')(requirePermissions('posts:publish')(ok))
  const permissionThenRole = requirePermissions('posts:publish')(requireRoles('editor')(ok))

  it('answer 401, never 403, to a request without identity, in either order', async () => {
    for (const guarded of [roleThenPermission, permissionThenRole]) {
      const res = await call(guarded, undefined, '/public/x')
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe(NO_CREDENTIALS)
    }
  })

  it('answer 403 from the outermost guard that refuses', async () => {
    await expectForbidden(await call(roleThenPermission, {}), 'Missing roles: editor', 'editor')
    await expectForbidden(
      await call(permissionThenRole, {}),
      'Missing permissions: posts:publish',
      'posts:publish',
    )
    await expectForbidden(
      await call(roleThenPermission, { roles: ['editor'] }),
      'Missing permissions: posts:publish',
      'posts:publish',
    )
  })

  it('reach the handler only when every guard agrees', async () => {
    const grant = { roles: ['editor'], permissions: ['posts:publish'] }
    expect((await call(roleThenPermission, grant)).status).toBe(200)
    expect((await call(permissionThenRole, grant)).status).toBe(200)
  })

  it('pass the arguments after the request through unchanged', async () => {
    const handler = (_: Request, context: { params: { id: string } }) => Response.json(context.params)
    const guarded = withJwtAuth(requireScopes('read')(requireRoles('editor')(handler)), { auth })
    const token = await auth.createToken('alice', { roles: ['editor'], scope: 'read' })
    const request = new Request('https://api.test/posts/7', { headers: { authorization: `Bearer ${token}` } })
    const res = await guarded(request, { params: { id: '7' } })
    expect(await res.json()).toEqual({ id: '7' })
  })
})

describe('guards and the wrapping withJwtAuth', () => {
  it('answer through its onError hook', async () => {
    const guarded = withJwtAuth(requireRoles('admin')(ok), {
      auth,
      onError: (error) => new Response(error.code, { status: error.status }),
    })
    const token = await auth.createToken('alice', { roles: ['user'] })
    const res = await guarded(
      new Request('https://api.test/', { headers: { authorization: `Bearer ${token}` } }),
    )
    expect(res.status).toBe(403)
    expect(await res.text()).toBe('ERR_INSUFFICIENT_SCOPE')
  })

  it.each([
    ['a string', 'admin'],
    ['an object', { admin: true }],
    ['a number', 1],
    ['nested arrays', [['admin']]],
  ])('grant nothing for a signed roles claim holding %s, with a 403 not a 500', async (_, roles) => {
    const token = await resign(await auth.createToken('alice'), SECRET, { roles, permissions: roles })
    const guarded = mount(requirePermissions(['users:read'], { rbac })(requireRoles('admin')(ok)))
    const res = await guarded(
      new Request('https://api.test/', { headers: { authorization: `Bearer ${token}` } }),
    )
    await expectForbidden(res, 'Missing permissions: users:read', 'users:read')
  })
})
