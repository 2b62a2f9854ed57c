/** The JWS algorithms Covet signs and verifies with (RFC 7518 §3.1, RFC 8037 §3.1). */
export const ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const

export type Algorithm = (typeof ALGORITHMS)[number]

export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value)
}

export function isHmac(alg: Algorithm): alg is 'HS256' | 'HS384' | 'HS512' {
  return alg.startsWith('HS')
}

/** RFC 7518 §3.2: a key of the same size as the hash output (or larger) MUST be used. */
export function minimumSecretBytes(alg: 'HS256' | 'HS384' | 'HS512'): number {
  return Number(alg.slice(2)) / 8
}

export function hashOf(alg: Algorithm): 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined {
  if (alg === 'EdDSA') return undefined
  return `SHA-${alg.slice(2)}` as 'SHA-256' | 'SHA-384' | 'SHA-512'
}

/** The Web Crypto algorithm name and, for EC, the curve that an `alg` requires of its key. */
export function keyAlgorithmFor(alg: Algorithm): { name: string; namedCurve?: string } {
  switch (alg.slice(0, 2)) {
    case 'HS':
      return { name: 'HMAC' }
    case 'RS':
      return { name: 'RSASSA-PKCS1-v1_5' }
    case 'PS':
      return { name: 'RSA-PSS' }
    case 'ES':
      return { name: 'ECDSA', namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg as 'ES256'] }
    default:
      return { name: 'Ed25519' }
  }
}
