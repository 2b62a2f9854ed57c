import { RbacManager } from '@covet/rbac'

/** The demo's role hierarchy: admin inherits moderator, which inherits user. */
export function createPolicy(): RbacManager {
  return new RbacManager({
    roles: {
      user: { permissions: ['posts:read'] },
      moderator: { permissions: ['posts:edit', 'posts:delete'], parents: ['user'] },
      admin: { permissions: ['users:manage'], parents: ['moderator'] },
    },
  })
}
