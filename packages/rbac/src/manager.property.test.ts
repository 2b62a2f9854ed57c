import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PolicyError } from './errors.js'
import { RbacManager } from './manager.js'

type Model = Map<string, { permissions: string[]; parents: string[] }>

const ROLES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']
const GRANTS = ['p:a', 'p:b', 'p:*', 'q:a', 'q:a:b', 'q:a:*', 'q:*', '*', 'pa']
const QUERIES = [...GRANTS, 'p', 'q', 'p:a:c', 'px:a', 'q:ab', 'q:a:b:c', 'p:', 'other']

/** The obvious resolver: walk the parents recursively on every call, match grants by hand. */
function naiveHas(model: Model, role: string, permission: string, seen = new Set<string>()): boolean {
  const definition = model.get(role)
  if (definition === undefined || seen.has(role)) return false
  seen.add(role)
  const own = definition.permissions.some(
    (granted) =>
      granted === permission ||
      granted === '*' ||
      (granted.endsWith(':*') && permission.startsWith(granted.slice(0, -1))),
  )
  return own || definition.parents.some((parent) => naiveHas(model, parent, permission, seen))
}

function naiveHasCycle(model: Model): boolean {
  const reaches = (from: string, to: string, depth: number): boolean =>
    depth <= model.size &&
    (model.get(from)?.parents ?? []).some((parent) => parent === to || reaches(parent, to, depth + 1))
  return [...model.keys()].some((role) => reaches(role, role, 0))
}

const definition = fc.record({
  permissions: fc.subarray(GRANTS, { maxLength: 3 }),
  parents: fc.subarray(ROLES, { maxLength: 3 }),
})

/** Every check on single roles, role pairs, and any/all of two permissions, by both resolvers, compared at once. */
function agreesWithModel(rbac: RbacManager, model: Model): void {
  const actual: string[] = []
  const expected: string[] = []
  const all = [...ROLES, 'ghost']
  for (const [i, role] of all.entries()) {
    const other = all[(i + 3) % all.length]!
    for (const permission of QUERIES) {
      const own = naiveHas(model, role, permission)
      actual.push(`${role} ${permission} ${rbac.hasPermission([role], permission)}`)
      expected.push(`${role} ${permission} ${own}`)
      actual.push(`${role}+${other} ${permission} ${rbac.hasPermission([role, other], permission)}`)
      expected.push(`${role}+${other} ${permission} ${own || naiveHas(model, other, permission)}`)
    }
    const pair = QUERIES.slice(i, i + 2)
    actual.push(
      `${role} all/any ${rbac.hasAllPermissions([role], pair)} ${rbac.hasAnyPermission([role], pair)}`,
    )
    expected.push(
      `${role} all/any ${pair.every((p) => naiveHas(model, role, p))} ${pair.some((p) => naiveHas(model, role, p))}`,
    )
  }
  expect(actual).toEqual(expected)
}

describe('RbacManager against a naive recursive resolver', () => {
  it('agrees on every check for random acyclic policies', () => {
    fc.assert(
      fc.property(fc.array(definition, { minLength: 1, maxLength: ROLES.length }), (definitions) => {
        // Role i may only inherit from roles before it, so the policy is acyclic by construction.
        const model: Model = new Map()
        definitions.forEach((d, i) => {
          model.set(ROLES[i]!, {
            permissions: d.permissions,
            parents: d.parents.filter((p) => ROLES.indexOf(p) < i),
          })
        })
        const shuffled = Object.fromEntries([...model].reverse())
        agreesWithModel(new RbacManager({ roles: shuffled }), model)
      }),
      { numRuns: 200 },
    )
  })

  it('agrees after any sequence of additions and redefinitions, refusing exactly the cyclic ones', () => {
    const step = fc.tuple(fc.constantFrom(...ROLES), definition)
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const rbac = new RbacManager()
        let model: Model = new Map()
        for (const [role, d] of steps) {
          const next: Model = new Map(model).set(role, d)
          let error: unknown
          try {
            rbac.addRole(role, d)
          } catch (caught) {
            error = caught
          }
          if (d.parents.some((parent) => !next.has(parent))) {
            expect(error).toBeInstanceOf(PolicyError)
            expect((error as PolicyError).reason).toBe('unknown_parent')
          } else if (naiveHasCycle(next)) {
            expect((error as PolicyError).reason).toBe('cycle')
            const cycle = (error as PolicyError).cycle
            expect(cycle[0]).toBe(cycle.at(-1))
            for (let i = 0; i + 1 < cycle.length; i++)
              expect(next.get(cycle[i]!)?.parents).toContain(cycle[i + 1])
          } else {
            expect(error).toBeUndefined()
            model = next
          }
        }
        agreesWithModel(rbac, model)
      }),
      { numRuns: 200 },
    )
  })
})
