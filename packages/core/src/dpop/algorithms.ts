/**
 * The JWS algorithms a DPoP proof may be signed with: asymmetric only (RFC 9449 §4.3: never `none`
 * nor a MAC), ES256 first since every client supports it (RFC 9449 §4.2).
 */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const

export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number]
