import type { TokenType } from '../types.js'

/** RFC 9068 §2.1: access tokens carry `typ: at+jwt` (the `application/` prefix may be present). */
export const ACCESS_TOKEN_TYP = 'at+jwt'
/** Refresh tokens carry their own type, so one can never be used as the other. */
export const REFRESH_TOKEN_TYP = 'refresh+jwt'

/** Claims Covet writes itself; `claims` options cannot override them. */
export const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'roles',
  'permissions',
  'scope',
  'client_id',
  'fid',
  'gen',
  'cnf',
])

export function tokenTypeOf(typ: string | undefined, foreignIssuer: boolean): TokenType | undefined {
  // The spelling Covet itself writes, without normalising it.
  if (typ === ACCESS_TOKEN_TYP) return 'access'
  const normalised = typ?.toLowerCase().replace(/^application\//, '')
  if (normalised === ACCESS_TOKEN_TYP) return 'access'
  if (normalised === REFRESH_TOKEN_TYP) return 'refresh'
  // Tokens of another issuer (jwksUri) may predate RFC 9068: a plain JWT is taken as an access token,
  // once its audience matched and its claims showed it is no ID token (see id-token.ts).
  if (foreignIssuer && (normalised === undefined || normalised === 'jwt')) return 'access'
  return undefined
}

const NONE: readonly string[] = Object.freeze([])

/**
 * An array of strings, or nothing: a claim of any other shape grants nothing. A `shared` array
 * (part of a cached result, handed to every request that presents the same token) is frozen in
 * place, in the claims too, so no handler may add a role to it.
 */
export function stringList(value: unknown, shared: boolean): readonly string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return NONE
  return shared ? Object.freeze(value as string[]) : (value as string[])
}
