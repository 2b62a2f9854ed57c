import type { JwtAuth, VerifiedToken } from '../types.js'
import { readState } from './context.js'

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
): VerifiedToken<Claims> | undefined
export function getAuth(request: Request): VerifiedToken | undefined
export function getAuth(request: Request, _auth?: JwtAuth<object>): VerifiedToken<object> | undefined {
  return readState(request)?.auth
}
