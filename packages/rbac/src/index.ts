export { PolicyError, type PolicyErrorReason } from './errors.js'
export { RbacManager } from './manager.js'
export type { Policy, RoleDefinition } from './policy.js'
