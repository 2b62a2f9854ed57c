import { describe, expect, it } from 'vitest'
import { PolicyError } from './errors.js'
import { RbacManager } from './manager.js'

/** The error `run` throws, so that its exact fields can be asserted. */
function thrown(run: () => unknown): PolicyError {
  try {
    run()
  } catch (error) {
    if (error instanceof PolicyError) return error
    throw error
  }
  throw new Error('expected a PolicyError')
}

function chain(depth: number): RbacManager {
  const rbac = new RbacManager().addRole('level0', { permissions: ['base:read'] })
  for (let i = 1; i < depth; i++) {
    rbac.addRole(`level${i}`, { permissions: [`level${i}:write`], parents: [`level${i - 1}`] })
  }
  return rbac
}

describe('RbacManager hierarchy', () => {
  it('gives a role 30 levels down every permission of every ancestor', () => {
    const rbac = chain(30)
    expect(rbac.hasPermission(['level29'], 'base:read')).toBe(true)
    expect(rbac.hasPermission(['level29'], 'level15:write')).toBe(true)
    expect(rbac.getPermissions('level3')).toEqual([
      'base:read',
      'level1:write',
      'level2:write',
      'level3:write',
    ])
    expect(rbac.inherits('level29', 'level0')).toBe(true)
  })

  it('does not let an ancestor inherit from its descendants', () => {
    const rbac = chain(30)
    expect(rbac.hasPermission(['level0'], 'level1:write')).toBe(false)
    expect(rbac.inherits('level0', 'level29')).toBe(false)
    expect(rbac.inherits('level5', 'level5')).toBe(false)
  })

  it('merges a diamond: both branches and their shared root, each permission once', () => {
    const rbac = new RbacManager({
      roles: {
        admin: { permissions: ['users:delete'], parents: ['editor', 'moderator'] },
        editor: { permissions: ['posts:write'], parents: ['viewer'] },
        moderator: { permissions: ['comments:delete'], parents: ['viewer'] },
        viewer: { permissions: ['posts:read'] },
      },
    })
    expect(rbac.getPermissions('admin')).toEqual([
      'comments:delete',
      'posts:read',
      'posts:write',
      'users:delete',
    ])
    expect([...rbac.rolesOf(['admin'])].sort()).toEqual(['admin', 'editor', 'moderator', 'viewer'])
    expect(rbac.getPermissions('editor')).toEqual(['posts:read', 'posts:write'])
  })

  it('recomputes the descendants of a redefined role', () => {
    const rbac = new RbacManager()
      .addRole('viewer', { permissions: ['posts:read'] })
      .addRole('editor', { parents: ['viewer'] })
      .addRole('admin', { parents: ['editor'] })
    rbac.addRole('viewer', { permissions: ['posts:list'] })
    expect(rbac.getPermissions('admin')).toEqual(['posts:list'])
    expect(rbac.hasPermission(['admin'], 'posts:read')).toBe(false)
  })

  it('lets a policy name parents defined further down the same policy', () => {
    const rbac = new RbacManager({ roles: { b: { parents: ['a'] }, a: { permissions: ['x'] } } })
    expect(rbac.hasPermission(['b'], 'x')).toBe(true)
  })

  it('answers an unknown role with no permissions', () => {
    const rbac = chain(2)
    expect(rbac.getPermissions('ghost')).toEqual([])
    expect(rbac.hasPermission(['ghost'], 'base:read')).toBe(false)
    expect(rbac.has('ghost')).toBe(false)
    expect(rbac.has('level1')).toBe(true)
  })

  it('expands roles through the hierarchy and keeps unknown roles as themselves', () => {
    const rbac = chain(3)
    expect([...rbac.rolesOf(['level2', 'ghost'])]).toEqual(['level2', 'level1', 'level0', 'ghost'])
  })

  it('round-trips through toJSON and fromJSON', () => {
    const rbac = new RbacManager({ roles: { a: { permissions: ['x'] }, b: { parents: ['a'] } } })
    const copy = RbacManager.fromJSON(JSON.stringify(rbac))
    expect(copy.toJSON()).toEqual({
      roles: { a: { permissions: ['x'], parents: [] }, b: { permissions: [], parents: ['a'] } },
    })
    expect(copy.hasPermission(['b'], 'x')).toBe(true)
  })
})

describe('RbacManager refusals', () => {
  it('refuses a role that inherits from itself, naming the cycle', () => {
    const error = thrown(() => new RbacManager().addRole('a', { parents: ['a'] }))
    expect(error.code).toBe('ERR_CONFIG')
    expect(error.reason).toBe('cycle')
    expect(error.cycle).toEqual(['a', 'a'])
    expect(error.message).toBe('roles.a.parents: inheritance cycle a → a')
  })

  it('refuses an indirect cycle made by redefining a role, and changes nothing', () => {
    const rbac = new RbacManager()
      .addRole('a', { permissions: ['a:read'] })
      .addRole('b', { parents: ['a'] })
      .addRole('c', { parents: ['b'] })
    const error = thrown(() => rbac.addRole('a', { permissions: ['a:write'], parents: ['c'] }))
    expect(error.reason).toBe('cycle')
    expect(error.cycle).toEqual(['a', 'c', 'b', 'a'])
    expect(error.message).toBe('roles.a.parents: inheritance cycle a → c → b → a')
    expect(rbac.getPermissions('c')).toEqual(['a:read'])
    expect(rbac.inherits('a', 'c')).toBe(false)
  })

  it('refuses a cycle spread across a policy, naming every role on it', () => {
    const error = thrown(
      () =>
        new RbacManager({
          roles: { root: {}, a: { parents: ['root', 'b'] }, b: { parents: ['c'] }, c: { parents: ['a'] } },
        }),
    )
    expect(error.cycle).toEqual(['a', 'b', 'c', 'a'])
    expect(error.message).toBe('roles.a.parents: inheritance cycle a → b → c → a')
  })

  it('refuses an unknown parent, naming the role and the parent', () => {
    const rbac = new RbacManager().addRole('viewer')
    const error = thrown(() => rbac.addRole('editor', { parents: ['viewer', 'viewer', 'Viewer'] }))
    expect(error.reason).toBe('unknown_parent')
    expect(error.field).toBe('roles.editor.parents[2]')
    expect(error.message).toBe('roles.editor.parents[2]: role "editor" inherits from unknown role "Viewer"')
    expect(rbac.has('editor')).toBe(false)
  })

  it('refuses an unknown parent in a policy and keeps none of its roles', () => {
    const rbac = new RbacManager()
    const error = thrown(() => rbac.addRoles({ roles: { a: {}, b: { parents: ['nope'] } } }))
    expect(error.message).toBe('roles.b.parents[0]: role "b" inherits from unknown role "nope"')
    expect(rbac.has('a')).toBe(false)
  })

  it.each([
    ['a string', 'x', 'policy: Invalid type: Expected Object but received "x"'],
    ['no roles', {}, 'roles: is required'],
    ['roles as an array', { roles: [] }, 'roles: Invalid type: Expected Object but received Array'],
    ['an unknown top-level key', { roles: {}, role: {} }, 'role: unknown key'],
    ['a misspelt role key', { roles: { a: { parent: ['b'] } } }, 'roles.a.parent: unknown key'],
    [
      'permissions as a string',
      { roles: { a: { permissions: 'x' } } },
      'roles.a.permissions: Invalid type: Expected Array but received "x"',
    ],
    [
      'a number among permissions',
      { roles: { a: { permissions: ['ok', 42] } } },
      'roles.a.permissions[1]: Invalid type: Expected string but received 42',
    ],
    [
      'a space in a role name',
      { roles: { 'a b': {} } },
      'roles["a b"]: "a b" must be printable ASCII without spaces, quotes or backslashes',
    ],
    [
      'a star inside a permission',
      { roles: { a: { permissions: ['posts:*:read'] } } },
      'roles.a.permissions[0]: "posts:*:read" may only use "*" alone or as a final ":*" segment',
    ],
    [
      'a reserved role name',
      JSON.parse('{"roles":{"__proto__":{}}}'),
      'roles.__proto__: role name is reserved',
    ],
  ])('refuses a policy with %s, naming the field', (_, policy, message) => {
    const error = thrown(() => new RbacManager(policy))
    expect(error.reason).toBe('schema')
    expect(error.message).toBe(message)
  })

  it('refuses JSON text that does not parse', () => {
    expect(thrown(() => RbacManager.fromJSON('{roles')).message).toMatch(/^policy: not valid JSON \(/)
  })

  it('refuses a role definition that is not an object', () => {
    expect(thrown(() => new RbacManager().addRole('a', 5 as never)).message).toBe(
      'roles.a: Invalid type: Expected Object but received 5',
    )
  })
})

describe('RbacManager wildcards and names', () => {
  const rbac = new RbacManager({
    roles: {
      author: { permissions: ['posts:*', 'read:users'] },
      root: { permissions: ['*'] },
      Admin: { permissions: ['users:delete'] },
    },
  })

  it('grants every permission under posts: to posts:*', () => {
    expect(rbac.hasPermission(['author'], 'posts:read')).toBe(true)
    expect(rbac.hasPermission(['author'], 'posts:comments:delete')).toBe(true)
    expect(rbac.hasPermission(['author'], 'posts:*')).toBe(true)
  })

  it('does not let posts:* reach outside posts:', () => {
    expect(rbac.hasPermission(['author'], 'posts')).toBe(false)
    expect(rbac.hasPermission(['author'], 'postsx:read')).toBe(false)
    expect(rbac.hasPermission(['author'], 'users:posts:read')).toBe(false)
    expect(rbac.hasPermission(['author'], '*')).toBe(false)
  })

  it('never matches a substring', () => {
    expect(rbac.hasPermission(['author'], 'read:usersx')).toBe(false)
    expect(rbac.hasPermission(['author'], 'read:user')).toBe(false)
    expect(rbac.hasPermission(['author'], 'xread:users')).toBe(false)
  })

  it('grants everything to *', () => {
    expect(rbac.hasPermission(['root'], 'anything:at:all')).toBe(true)
    expect(rbac.hasPermission(['root'], 'plain')).toBe(true)
  })

  it('matches wildcards the same way when a role holds many of them', () => {
    const many = new RbacManager({
      roles: { wide: { permissions: Array.from({ length: 12 }, (_, i) => `area${i}:*`) } },
    })
    expect(many.hasPermission(['wide'], 'area7:read')).toBe(true)
    expect(many.hasPermission(['wide'], 'area11:docs:read')).toBe(true)
    expect(many.hasPermission(['wide'], 'area7')).toBe(false)
    expect(many.hasPermission(['wide'], 'area77:read')).toBe(false)
    expect(many.hasPermission(['wide'], 'other:area7:read')).toBe(false)
  })

  it('treats role and permission names case-sensitively', () => {
    expect(rbac.hasPermission(['admin'], 'users:delete')).toBe(false)
    expect(rbac.hasPermission(['Admin'], 'users:delete')).toBe(true)
    expect(rbac.hasPermission(['author'], 'Posts:read')).toBe(false)
  })
})

describe('RbacManager checks', () => {
  const rbac = new RbacManager({
    roles: { writer: { permissions: ['a', 'b'] }, reader: { permissions: ['c'] } },
  })

  it('needs one of the permissions for hasAnyPermission and all of them for hasAllPermissions', () => {
    expect(rbac.hasAnyPermission(['writer'], ['z', 'b'])).toBe(true)
    expect(rbac.hasAllPermissions(['writer'], ['a', 'b'])).toBe(true)
    expect(rbac.hasAllPermissions(['writer'], ['a', 'c'])).toBe(false)
    expect(rbac.hasAllPermissions(['writer', 'reader'], ['a', 'c'])).toBe(true)
  })

  it('answers false to any of none and true to all of none', () => {
    expect(rbac.hasAnyPermission(['writer'], [])).toBe(false)
    expect(rbac.hasAllPermissions(['writer'], [])).toBe(true)
  })

  it.each([
    ['a string', 'writer'],
    ['an object', { writer: true }],
    ['a number', 42],
    ['nested arrays', [['writer']]],
    ['an array with a non-string', ['writer', 7]],
    ['null', null],
    ['undefined', undefined],
  ])('grants nothing for roles given as %s, without throwing', (_, roles) => {
    expect(rbac.hasPermission(roles, 'a')).toBe(false)
    expect(rbac.hasAnyPermission(roles, ['a', 'b'])).toBe(false)
    expect(rbac.hasAllPermissions(roles, ['a'])).toBe(false)
    expect(rbac.rolesOf(roles).size).toBe(0)
  })

  it('answers false for a permission that is not a string', () => {
    expect(rbac.hasPermission(['writer'], 42 as never)).toBe(false)
    expect(rbac.hasAnyPermission(['writer'], 'a' as never)).toBe(false)
  })
})
