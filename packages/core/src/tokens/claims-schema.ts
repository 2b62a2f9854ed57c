import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { JWTPayload } from 'jose'
import { TokenClaimsError } from '../errors.js'
import type { JwtClaims } from '../types.js'

/**
 * The configured claims schema applied to a verified payload: its output overlays the payload.
 * Throws `TokenClaimsError` naming the failing claims' paths (never their values).
 */
export async function applyClaimsSchema(schema: StandardSchemaV1, payload: JWTPayload): Promise<JwtClaims> {
  let result = schema['~standard'].validate(payload)
  if (result instanceof Promise) result = await result
  if (result.issues !== undefined) {
    const paths = result.issues.map((issue) =>
      (issue.path ?? [])
        .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
        .join('.'),
    )
    throw new TokenClaimsError(paths)
  }
  return { ...payload, ...(result.value as object) } as JwtClaims
}
