import { ConfigError } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { call, expectForbidden, ok, rbac } from '../test-support/guard-harness.js'
import { requirePermissions } from './require-permissions.js'
import { requireRoles } from './require-roles.js'
import { requireScopes } from './require-scopes.js'

describe('requirePermissions', () => {
  const guarded = requirePermissions('users:read', 'users:write')(ok)

  it('lets through a token holding every permission', async () => {
    const res = await call(guarded, { permissions: ['users:write', 'users:read'] })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ subject: 'alice' })
  })

  it('answers 403 naming only the missing permission, with every required one in the challenge', async () => {
    const res = await call(guarded, { permissions: ['users:read', 'posts:read'] })
    await expectForbidden(res, 'Missing permissions: users:write', 'users:read users:write')
  })

  it('counts a wildcard permission in the token', async () => {
    expect((await call(guarded, { permissions: ['users:*'] })).status).toBe(200)
    expect((await call(guarded, { permissions: ['*'] })).status).toBe(200)
  })

  it('does not let a longer name stand in for a shorter one', async () => {
    const res = await call(guarded, { permissions: ['users:readx', 'users:writex'] })
    await expectForbidden(res, 'Missing permissions: users:read, users:write', 'users:read users:write')
  })

  it('ignores roles when given no RbacManager', async () => {
    const res = await call(requirePermissions('posts:read')(ok), { roles: ['viewer'] })
    await expectForbidden(res, 'Missing permissions: posts:read', 'posts:read')
  })

  it('expands the token roles through the hierarchy when given an RbacManager', async () => {
    const publish = requirePermissions(['posts:publish', 'posts:read'], { rbac })(ok)
    expect((await call(publish, { roles: ['editor'] })).status).toBe(200)
    expect((await call(publish, { roles: ['admin'] })).status).toBe(200)
    await expectForbidden(
      await call(publish, { roles: ['viewer'] }),
      'Missing permissions: posts:publish',
      'posts:publish posts:read',
    )
    await expectForbidden(
      await call(publish, { roles: ['Editor'] }),
      'Missing permissions: posts:publish, posts:read',
      'posts:publish posts:read',
    )
  })

  it('adds the token own permissions to those of its roles', async () => {
    const both = requirePermissions(['posts:read', 'billing:read'], { rbac })(ok)
    expect((await call(both, { roles: ['viewer'], permissions: ['billing:read'] })).status).toBe(200)
  })

  it('needs only one permission in any mode, and names them all when none is held', async () => {
    const either = requirePermissions(['posts:edit', 'posts:publish'], { mode: 'any' })(ok)
    expect((await call(either, { permissions: ['posts:publish'] })).status).toBe(200)
    await expectForbidden(
      await call(either, { permissions: ['posts:read'] }),
      'Requires one of the permissions: posts:edit, posts:publish',
      'posts:edit posts:publish',
    )
  })
})

describe('requireRoles', () => {
  it('needs every role by default, like requirePermissions and requireScopes, naming the missing ones', async () => {
    const both = requireRoles('editor', 'auditor')(ok)
    expect((await call(both, { roles: ['auditor', 'editor'] })).status).toBe(200)
    await expectForbidden(await call(both, { roles: ['editor'] }), 'Missing roles: auditor', 'editor auditor')
  })

  it('needs any one of the roles in any mode', async () => {
    const staff = requireRoles(['admin', 'moderator'], { mode: 'any' })(ok)
    expect((await call(staff, { roles: ['moderator'] })).status).toBe(200)
    await expectForbidden(
      await call(staff, { roles: ['user', 'Admin'] }),
      'Requires one of the roles: admin, moderator',
      'admin moderator',
    )
  })

  it('counts inherited roles only when given an RbacManager', async () => {
    expect((await call(requireRoles(['viewer'], { rbac })(ok), { roles: ['admin'] })).status).toBe(200)
    await expectForbidden(
      await call(requireRoles('viewer')(ok), { roles: ['admin'] }),
      'Missing roles: viewer',
      'viewer',
    )
    await expectForbidden(
      await call(requireRoles(['admin'], { rbac })(ok), { roles: ['viewer'] }),
      'Missing roles: admin',
      'admin',
    )
  })
})

describe('requireScopes', () => {
  it('needs every scope of the token scope claim by default', async () => {
    const guarded = requireScopes('read', 'write')(ok)
    expect((await call(guarded, { scope: 'write read' })).status).toBe(200)
    await expectForbidden(await call(guarded, { scope: 'read' }), 'Missing scopes: write', 'read write')
    await expectForbidden(
      await call(guarded, { scope: 'readwrite' }),
      'Missing scopes: read, write',
      'read write',
    )
  })

  it('needs one scope in any mode', async () => {
    const guarded = requireScopes(['read', 'admin'], { mode: 'any' })(ok)
    expect((await call(guarded, { scope: 'admin' })).status).toBe(200)
    await expectForbidden(
      await call(guarded, { scope: 'write' }),
      'Requires one of the scopes: read, admin',
      'read admin',
    )
  })
})

describe('guard construction', () => {
  function configError(run: () => unknown): string {
    try {
      run()
    } catch (error) {
      if (error instanceof ConfigError) return error.message
      throw error
    }
    throw new Error('expected a ConfigError')
  }

  it.each([
    [
      'no names',
      () => (requirePermissions as (...a: unknown[]) => unknown)(),
      'permissions: at least one is required',
    ],
    ['an empty array', () => requireRoles([] as never), 'roles: at least one is required'],
    [
      'a name with a space',
      () => requireScopes('read write'),
      'scopes[0]: "read write" must be an RFC 6749 §3.3 scope-token',
    ],
    [
      'a name that is not a string',
      () => requireRoles(['admin', 7 as never]),
      'roles[1]: 7 must be a string',
    ],
    [
      'a name that is an object',
      () => requirePermissions(['a', { toString: () => 'a' } as never]),
      'permissions[1]: a value of type object must be a string',
    ],
    [
      'an unknown mode',
      () => requirePermissions(['a'], { mode: 'some' as never }),
      'options.mode: must be "all" or "any"',
    ],
    [
      'an rbac that is not a manager',
      () => requireRoles(['a'], { rbac: {} as never }),
      'options.rbac: must be an RbacManager',
    ],
    [
      'an rbac for scopes',
      () => requireScopes(['a'], { rbac } as never),
      'options.rbac: scopes are not expanded through roles',
    ],
    [
      'a misspelt option',
      () => requireRoles(['a'], { mdoe: 'all' } as never),
      'options.mdoe: unknown option',
    ],
  ])('refuses %s at construction', (_, run, message) => {
    expect(configError(run)).toBe(message)
  })

  it('keeps the names it was created with when the caller later changes its array', async () => {
    const names: [string, ...string[]] = ['posts:read']
    const guarded = requirePermissions(names)(ok)
    names.push('posts:write')
    expect((await call(guarded, { permissions: ['posts:read'] })).status).toBe(200)
  })

  it('refuses a handler that is not a function', () => {
    expect(configError(() => requireRoles('a')(null as never))).toBe('handler: must be a function')
  })
})
