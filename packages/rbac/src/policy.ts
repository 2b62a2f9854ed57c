import * as v from 'valibot'
import { PolicyError } from './errors.js'
import { appendKey, roleField } from './lib/field.js'
import { permissionNameProblem, roleNameProblem } from './lib/names.js'

/** What a role is given: its own permissions and the roles it inherits from. */
export interface RoleDefinition {
  readonly permissions?: readonly string[]
  readonly parents?: readonly string[]
}

/**
 * A whole role policy, as a plain object or parsed JSON:
 * `{ "roles": { "editor": { "permissions": ["posts:*"], "parents": ["viewer"] } } }`.
 */
export interface Policy {
  readonly roles: Readonly<Record<string, RoleDefinition>>
}

const name = (problem: (name: string) => string | undefined) =>
  v.pipe(
    v.string(),
    v.rawCheck(({ dataset, addIssue }) => {
      const found = dataset.typed ? problem(dataset.value) : undefined
      if (found) addIssue({ message: `${JSON.stringify(dataset.value)} ${found}` })
    }),
  )

const RoleSchema = v.strictObject({
  permissions: v.optional(v.array(name(permissionNameProblem))),
  parents: v.optional(v.array(name(roleNameProblem))),
})

const PolicySchema = v.strictObject({
  roles: v.record(name(roleNameProblem), RoleSchema),
})

/** An issue's message, said plainly for the two cases valibot words for its own internals. */
function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'unknown key'
  if (issue.kind === 'schema' && issue.received === 'undefined' && issue.expected?.startsWith('"')) {
    return 'is required'
  }
  return issue.message
}

/** `roles.editor.parents[1]` for an issue's path under `root`; `policy` for the whole input. */
function fieldOf(issue: v.BaseIssue<unknown>, root: string): string {
  let field = root
  for (const item of issue.path ?? []) field = appendKey(field, item.key)
  return field || 'policy'
}

/** One role definition, validated. Throws `PolicyError` (`reason: 'schema'`) naming the field. */
export function parseRole(role: string, definition: unknown): Required<RoleDefinition> {
  const root = roleField(role)
  const problem = typeof role === 'string' ? roleNameProblem(role) : 'must be a string'
  if (problem) throw new PolicyError(root, 'schema', `role name ${problem}`)
  const result = v.safeParse(RoleSchema, definition ?? {})
  if (!result.success) {
    const issue = result.issues[0]
    throw new PolicyError(fieldOf(issue, root), 'schema', describe(issue))
  }
  return { permissions: result.output.permissions ?? [], parents: result.output.parents ?? [] }
}

/**
 * A whole policy, validated, as a map in the order the roles were written. Throws `PolicyError`
 * naming the first offending field, e.g. `roles.editor.parents[1]: Invalid type: …`.
 */
export function parsePolicy(input: unknown): Map<string, Required<RoleDefinition>> {
  const roles = (input as { roles?: unknown } | null)?.roles
  if (Array.isArray(roles))
    throw new PolicyError('roles', 'schema', 'Invalid type: Expected Object but received Array')
  // Valibot's record drops these keys silently; a dropped role must be an error, not a surprise.
  if (typeof roles === 'object' && roles !== null) {
    for (const key of ['__proto__', 'prototype', 'constructor']) {
      if (Object.hasOwn(roles, key)) throw new PolicyError(roleField(key), 'schema', 'role name is reserved')
    }
  }
  const result = v.safeParse(PolicySchema, input)
  if (!result.success) {
    const issue = result.issues[0]
    throw new PolicyError(fieldOf(issue, ''), 'schema', describe(issue))
  }
  const parsed = new Map<string, Required<RoleDefinition>>()
  for (const [role, definition] of Object.entries(result.output.roles)) {
    parsed.set(role, { permissions: definition.permissions ?? [], parents: definition.parents ?? [] })
  }
  return parsed
}

/** `parsePolicy` for JSON text; malformed JSON is a `PolicyError` too. */
export function parsePolicyJson(text: string): Map<string, Required<RoleDefinition>> {
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (cause) {
    throw new PolicyError('policy', 'schema', `not valid JSON (${(cause as Error).message})`)
  }
  return parsePolicy(input)
}
