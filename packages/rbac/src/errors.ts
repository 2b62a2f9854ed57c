import { ConfigError } from '@covet/core'

/** Why a role policy was refused. */
export type PolicyErrorReason = 'schema' | 'cycle' | 'unknown_parent'

/**
 * A role policy (from `addRole`, `addRoles` or the `RbacManager` constructor) was refused. The
 * manager is left exactly as it was. `code` is core's `ERR_CONFIG`; `reason` tells the cases apart.
 *
 * @example
 * ```ts
 * try { rbac.addRole('viewer', { parents: ['editor'] }) }
 * catch (error) { if (error instanceof PolicyError && error.reason === 'cycle') console.error(error.cycle) }
 * ```
 */
export class PolicyError extends ConfigError {
  constructor(
    field: string,
    readonly reason: PolicyErrorReason,
    message: string,
    /** For `reason: 'cycle'`: the roles on the cycle, each inheriting from the next, first repeated last. */
    readonly cycle: readonly string[] = [],
  ) {
    super(field, message)
  }
}
