import type { AuthInfo, JwtAuth } from '../types.js'
import { readState, writeState } from './context.js'

/**
 * The identity `withJwtAuth` verified for `request`: `undefined` on exempt paths, on optional
 * paths reached without a token, and for requests no `withJwtAuth` wrapped. Pass the `auth`
 * instance to get the claims typed by its claims schema (it is used for typing only). The
 * identity belongs to the `Request` object itself: a copy made with `new Request(request)` has none.
 *
 * @example
 * ```ts
 * const who = getAuth(request, auth)
 * if (who) console.log(who.subject, who.claims.tenant)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export function getAuth<Claims extends object>(
  request: Request,
  auth: JwtAuth<Claims>,
): AuthInfo<Claims> | undefined
export function getAuth(request: Request): AuthInfo | undefined
export function getAuth(request: Request, _auth?: JwtAuth<object>): AuthInfo<object> | undefined {
  return readState(request)?.auth
}

/**
 * Advanced: attach a verified identity to `request`, so that `getAuth(request)` returns it.
 * Adapters use it to restore an identity verified elsewhere (for instance forwarded by a Next.js
 * proxy in request headers they control). Never attach an identity you did not verify.
 *
 * @example
 * ```ts
 * attachAuth(request, await auth.verifyToken(token))
 * ```
 */
export function attachAuth<Claims extends object>(
  request: Request,
  info: AuthInfo<Claims> | undefined,
): void {
  writeState(request).auth = info
}
