import { SignJWT } from 'jose'
import type { ResolvedConfig } from '../config.js'
import { InvalidArgumentError } from '../errors.js'
import type { ImportedKey } from '../keys/import.js'
import { isScope } from '../lib/scope.js'
import type { CreateTokenOptions, GrantOptions, TokenType } from '../types.js'
import { ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP, RESERVED_CLAIMS } from './claims.js'

export interface IssuedToken {
  readonly token: string
  readonly jti: string
  readonly expiresAt: number
}

/** Signs one token with the signing key. Grants are checked here so a bad call never mints a token. */
export async function signToken(
  config: ResolvedConfig,
  key: ImportedKey | undefined,
  subject: string,
  options: CreateTokenOptions & {
    ttlSeconds: number
    /** On a refresh token of a pair: its family's generation (`gen`). */
    generation?: number
  },
): Promise<IssuedToken> {
  if (key?.signKey === undefined) throw new InvalidArgumentError('This instance has no signing key')
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new InvalidArgumentError('The subject must be a non-empty string')
  }
  const type: TokenType = options.type ?? 'access'
  const payload: Record<string, unknown> = { ...customClaims(options.claims) }
  if (options.roles !== undefined) payload.roles = stringArray(options.roles, 'roles')
  if (options.permissions !== undefined) payload.permissions = stringArray(options.permissions, 'permissions')
  if (options.scope !== undefined) payload.scope = scopeString(options.scope)
  if (options.clientId !== undefined) payload.client_id = nonEmpty(options.clientId, 'clientId')
  if (options.familyId !== undefined) payload.fid = nonEmpty(options.familyId, 'familyId')
  if (type === 'refresh' && options.generation !== undefined) payload.gen = options.generation
  // RFC 9449 §6.1: the token is bound to the DPoP key of this thumbprint.
  if (options.dpopJkt !== undefined) payload.cnf = { jkt: thumbprint(options.dpopJkt) }

  const now = Math.floor(config.clock() / 1000)
  const jti = crypto.randomUUID()
  const expiresAt = now + options.ttlSeconds
  const jwt = new SignJWT(payload)
    .setProtectedHeader(signedHeader(key, type))
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .setJti(jti)
  if (config.issuer !== undefined) jwt.setIssuer(config.issuer)
  if (config.audience !== undefined) jwt.setAudience(config.audience as string | string[])
  return { token: await jwt.sign(key.signKey), jti, expiresAt }
}

/** The protected header Covet writes on a token of `type` that `key` signs. */
export function signedHeader(
  key: Pick<ImportedKey, 'alg' | 'kid'>,
  type: TokenType,
): { alg: string; kid: string; typ: string } {
  return { alg: key.alg, kid: key.kid, typ: type === 'access' ? ACCESS_TOKEN_TYP : REFRESH_TOKEN_TYP }
}

/** The grant carried from a refresh token to the next pair: its roles, permissions, scope, client and custom claims. */
export function grantOf(claims: Record<string, unknown>): GrantOptions {
  const grant: GrantOptions = {}
  const custom: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(claims)) if (!RESERVED_CLAIMS.has(name)) custom[name] = value
  if (Array.isArray(claims.roles)) grant.roles = claims.roles as string[]
  if (Array.isArray(claims.permissions)) grant.permissions = claims.permissions as string[]
  if (typeof claims.scope === 'string') grant.scope = claims.scope
  if (typeof claims.client_id === 'string') grant.clientId = claims.client_id
  if (Object.keys(custom).length > 0) grant.claims = custom
  return grant
}

function customClaims(claims: Record<string, unknown> | undefined): Record<string, unknown> {
  if (claims === undefined) return {}
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new InvalidArgumentError('claims must be an object')
  }
  for (const name of Object.keys(claims)) {
    if (RESERVED_CLAIMS.has(name))
      throw new InvalidArgumentError(`The claim "${name}" is reserved; use its option instead`)
  }
  return claims
}

function stringArray(value: readonly string[], name: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new InvalidArgumentError(`${name} must be an array of non-empty strings`)
  }
  return [...value]
}

function scopeString(value: string): string {
  // RFC 6749 §3.3: scope tokens separated by single spaces.
  if (!isScope(value)) {
    throw new InvalidArgumentError('scope must be space-separated scope tokens (RFC 6749 §3.3)')
  }
  return value
}

// RFC 7638 §3 with SHA-256: 32 bytes, 43 base64url characters.
const JKT = /^[A-Za-z0-9_-]{43}$/

/** `value` when it is a base64url SHA-256 JWK thumbprint; `InvalidArgumentError` otherwise. */
export function thumbprint(value: string): string {
  if (typeof value !== 'string' || !JKT.test(value)) {
    throw new InvalidArgumentError('dpopJkt must be a base64url SHA-256 JWK thumbprint (RFC 7638)')
  }
  return value
}

function nonEmpty(value: string, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidArgumentError(`${name} must be a non-empty string`)
  return value
}
