import type { JWTPayload } from 'jose'
import { TokenInvalidError } from '../errors.js'
import type { TokenRef } from '../revocation/store.js'
import type { TokenType } from '../types.js'

/** The limits a payload is held to, in seconds. */
export interface PayloadRules {
  readonly clockTolerance: number
  readonly maxAccessLifetime: number
  readonly refreshTokenTtl: number
  /** Milliseconds since the epoch. */
  readonly clock: () => number
}

/**
 * Checks jose leaves to the caller: types of `sub`/`jti`/`fid`/`gen`, `iat` not in the future,
 * maximum lifetime. Returns what the revocation store needs to know of the token.
 */
export function checkPayload(rules: PayloadRules, payload: JWTPayload, type: TokenType): TokenRef {
  const { sub, jti, iat, exp } = payload
  if (typeof sub !== 'string' || sub.length === 0) throw new TokenInvalidError('subject')
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new TokenInvalidError('payload')
  if (typeof iat !== 'number' || typeof exp !== 'number') throw new TokenInvalidError('payload')
  const now = rules.clock() / 1000
  // RFC 7519 §4.1.6: a token issued in the future is not trusted (beyond the clock tolerance).
  if (iat > now + rules.clockTolerance) throw new TokenInvalidError('issued_at')
  const maxLifetime = type === 'access' ? rules.maxAccessLifetime : rules.refreshTokenTtl
  if (exp - iat > maxLifetime) throw new TokenInvalidError('lifetime')
  const fid = payload.fid
  if (fid !== undefined && (typeof fid !== 'string' || fid.length === 0))
    throw new TokenInvalidError('payload')
  if (type !== 'refresh' || fid === undefined) return { jti, sub, iat, fid }
  // A refresh token's family generation; tokens issued before generations existed count as the first.
  const generation = payload.gen ?? 0
  if (!Number.isSafeInteger(generation) || (generation as number) < 0) throw new TokenInvalidError('payload')
  return { jti, sub, iat, fid, generation: generation as number }
}

/** What another issuer's token is held to (an entry of `issuers`). */
export interface ForeignPayloadRules {
  readonly clockTolerance: number
  /** Longest `exp − iat` accepted, seconds. */
  readonly maxTokenLifetime: number
  /** Claims that must hold one of the listed values exactly. */
  readonly requiredClaims: readonly (readonly [string, readonly RequiredValue[]])[]
  /** Milliseconds since the epoch. */
  readonly clock: () => number
}

export type RequiredValue = string | number | boolean

/**
 * `checkPayload` for another issuer's access token: `jti` may be absent (many issuers write none)
 * and is checked against the revocation store when present; a refresh family (`fid`) means
 * nothing here. Then the configured `requiredClaims`.
 */
export function checkForeignPayload(rules: ForeignPayloadRules, payload: JWTPayload): TokenRef {
  const { sub, jti, iat, exp } = payload
  if (typeof sub !== 'string' || sub.length === 0) throw new TokenInvalidError('subject')
  if (jti !== undefined && (typeof jti !== 'string' || jti.length === 0 || jti.length > 256))
    throw new TokenInvalidError('payload')
  if (typeof iat !== 'number' || typeof exp !== 'number') throw new TokenInvalidError('payload')
  // RFC 7519 §4.1.6: a token issued in the future is not trusted (beyond the clock tolerance).
  if (iat > rules.clock() / 1000 + rules.clockTolerance) throw new TokenInvalidError('issued_at')
  if (exp - iat > rules.maxTokenLifetime) throw new TokenInvalidError('lifetime')
  for (const [claim, allowed] of rules.requiredClaims) {
    if (!allowed.includes(payload[claim] as RequiredValue)) throw new TokenInvalidError('claims')
  }
  return { jti, sub, iat }
}
