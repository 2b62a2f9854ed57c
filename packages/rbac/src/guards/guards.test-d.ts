import { describe, expectTypeOf, it } from 'vitest'
import { RbacManager } from '../manager.js'
import type { Guard } from './guard.js'
import { requirePermissions } from './require-permissions.js'
import { requireRoles } from './require-roles.js'
import { requireScopes } from './require-scopes.js'

/** A request subclass, as Next.js passes (`NextRequest`). */
interface RouteRequest extends Request {
  readonly nextUrl: URL
}
type RouteContext = { params: Promise<{ id: string }> }
declare const route: (request: RouteRequest, context: RouteContext) => Promise<Response>
declare const plain: (request: Request) => Response

describe('guard signatures', () => {
  it('keep the parameters of the handler they wrap', () => {
    expectTypeOf(requirePermissions('a')(route)).toEqualTypeOf<
      (request: RouteRequest, context: RouteContext) => Promise<Response>
    >()
    expectTypeOf(requireRoles('admin')(plain)).parameters.toEqualTypeOf<[request: Request]>()
  })

  it('compose in any order to the same type', () => {
    const a = requireRoles('admin')(requireScopes('read')(requirePermissions('x')(route)))
    const b = requirePermissions('x')(requireRoles('admin')(requireScopes('read')(route)))
    expectTypeOf(a).toEqualTypeOf(b)
    expectTypeOf(a).parameters.toEqualTypeOf<Parameters<typeof route>>()
  })

  it('are Guards in both call forms', () => {
    const rbac = new RbacManager()
    expectTypeOf(requirePermissions('a', 'b')).toEqualTypeOf<Guard>()
    expectTypeOf(requirePermissions(['a', 'b'], { mode: 'any', rbac })).toEqualTypeOf<Guard>()
    expectTypeOf(requireRoles(['admin'], { mode: 'all', rbac })).toEqualTypeOf<Guard>()
    expectTypeOf(requireScopes(['read'], { mode: 'any' })).toEqualTypeOf<Guard>()
  })

  it('refuse wrong arguments at compile time', () => {
    // @ts-expect-error at least one permission is needed
    requirePermissions()
    // @ts-expect-error an empty list is not a list of names
    requireRoles([])
    // @ts-expect-error the modes are 'any' and 'all'
    requirePermissions(['a'], { mode: 'some' })
    // @ts-expect-error scopes are not expanded through roles
    requireScopes(['read'], { rbac: new RbacManager() })
    // @ts-expect-error a guard wraps a function taking a Request first
    requireRoles('a')((input: string) => new Response(input))
    // @ts-expect-error a handler must answer with a Response
    requireRoles('a')((_: Request) => 'ok')
  })
})

describe('RbacManager signatures', () => {
  it('accept claims of any shape for roles and answer booleans', () => {
    const rbac = new RbacManager()
    expectTypeOf(rbac.hasPermission).parameters.toEqualTypeOf<[roles: unknown, permission: string]>()
    expectTypeOf(rbac.hasAllPermissions(undefined, ['a'])).toEqualTypeOf<boolean>()
    expectTypeOf(rbac.rolesOf({})).toEqualTypeOf<Set<string>>()
  })
})
