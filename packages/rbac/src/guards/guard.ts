import {
  ConfigError,
  CredentialsMissingError,
  getAuth,
  type InsufficientScopeError,
  respondWithError,
  type VerifiedToken,
} from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import { RbacManager } from '../manager.js'

/** A Fetch handler: a `Request` (or a subclass such as Next's) and whatever the runtime passes after it. */
export type Handler<Req extends Request = Request, Rest extends unknown[] = unknown[]> = (
  request: Req,
  ...rest: Rest
) => Response | Promise<Response>

/**
 * Wraps a handler in a check and returns a handler of the same signature, so guards stack in
 * any order, inside `withJwtAuth` or a route export.
 */
export type Guard = <Req extends Request, Rest extends unknown[]>(
  handler: Handler<Req, Rest>,
) => (request: Req, ...rest: Rest) => Promise<Response>

/** `'all'` (every guard's default): every listed name is needed; `'any'`: one suffices. */
export type GuardMode = 'any' | 'all'

/** A guard's decision on an identity: `undefined` to let it through, or the refusal to answer. */
export type Check = (auth: VerifiedToken) => InsufficientScopeError | undefined

/**
 * The guard that answers a request with no identity 401 (the bare Bearer challenge), an identity
 * `check` refuses 403 `insufficient_scope`, and passes every other request to the handler.
 */
export function createGuard(check: Check): Guard {
  return (handler) => {
    if (typeof handler !== 'function') throw new ConfigError('handler', 'must be a function')
    return async function guarded(request, ...rest) {
      const auth = getAuth(request)
      // RFC 6750 §3.1: a request that carried no credentials gets a challenge with no error code.
      if (auth === undefined) return respondWithError(request, new CredentialsMissingError())
      const refusal = check(auth)
      // RFC 6750 §3.1: valid credentials without the rights needed: 403 insufficient_scope.
      if (refusal !== undefined) return respondWithError(request, refusal)
      return handler(request, ...rest)
    }
  }
}

const OptionsSchema = v.strictObject({
  mode: v.optional(v.picklist(['any', 'all'], 'must be "all" or "any"')),
  rbac: v.optional(v.instance(RbacManager, 'must be an RbacManager')),
})

/** The names and options of a guard factory's two call forms, checked once at construction. */
export function parseGuardArguments(
  kind: 'permissions' | 'roles' | 'scopes',
  args: readonly unknown[],
  problem: (name: string) => string | undefined,
): { names: readonly string[]; mode: GuardMode; rbac: RbacManager | undefined } {
  const [first, options] = args
  // A copy: later changes to the caller's array cannot change what the guard requires.
  const names: unknown[] = Array.isArray(first) ? [...first] : [...args]
  if (!Array.isArray(first) && args.length > 0 && typeof first !== 'string') {
    throw new ConfigError(kind, 'must be names, or an array of names followed by options')
  }
  if (names.length === 0) throw new ConfigError(kind, 'at least one is required')
  names.forEach((name, index) => {
    const found = typeof name === 'string' ? problem(name) : 'must be a string'
    if (found) throw new ConfigError(`${kind}[${index}]`, `${shown(name)} ${found}`)
  })
  const parsed = parseOptions(OptionsSchema, Array.isArray(first) ? (options ?? {}) : {}, {
    prefix: 'options',
  })
  if (kind === 'scopes' && parsed.rbac !== undefined) {
    throw new ConfigError('options.rbac', 'scopes are not expanded through roles')
  }
  return { names: names as string[], mode: parsed.mode ?? 'all', rbac: parsed.rbac }
}

/** A value as an error message may show it: strings quoted, numbers as they are, anything else by type. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  return typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : `a value of type ${typeof value}`
}

/** The problem detail of a refusal, naming what is missing (names only, never token contents). */
export function refusalDetail(kind: string, mode: GuardMode, missing: readonly string[]): string {
  return mode === 'any'
    ? `Requires one of the ${kind}: ${missing.join(', ')}`
    : `Missing ${kind}: ${missing.join(', ')}`
}
