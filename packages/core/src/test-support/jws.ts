import { base64url } from 'jose'

/**
 * Builds compact JWS by hand with real Web Crypto signatures, so a test can put anything in the
 * header or payload (RFC 8725 §2 attacks) while the signature is genuinely valid.
 */

export type SigningAlg =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'PS256'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'

const encoder = new TextEncoder()

export function b64(input: string | Uint8Array): string {
  return base64url.encode(typeof input === 'string' ? encoder.encode(input) : input)
}

export function fromB64(segment: string): string {
  return new TextDecoder().decode(base64url.decode(segment))
}

function signParams(alg: SigningAlg): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  switch (alg.slice(0, 2)) {
    case 'HS':
      return { name: 'HMAC' }
    case 'RS':
      return { name: 'RSASSA-PKCS1-v1_5' }
    case 'PS':
      return { name: 'RSA-PSS', saltLength: Number(alg.slice(2)) / 8 }
    case 'ES':
      return { name: 'ECDSA', hash: `SHA-${alg.slice(2)}` }
    default:
      return { name: 'Ed25519' }
  }
}

/** Signs `header.payload` as given: `payload` is JSON-encoded unless it is already a string of JSON text. */
export async function forge(
  key: CryptoKey,
  alg: SigningAlg,
  header: Record<string, unknown>,
  payload: unknown,
  options: { rawPayload?: boolean } = {},
): Promise<string> {
  const body = options.rawPayload ? String(payload) : JSON.stringify(payload)
  const input = `${b64(JSON.stringify(header))}.${b64(body)}`
  const signature = await crypto.subtle.sign(signParams(alg), key, encoder.encode(input))
  return `${input}.${b64(new Uint8Array(signature))}`
}

/** An HMAC key for `forge` from the same secret bytes the engine was configured with. */
export function hmacKey(secret: string | Uint8Array, alg: 'HS256' | 'HS384' | 'HS512'): Promise<CryptoKey> {
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : secret
  return crypto.subtle.importKey(
    'raw',
    bytes as BufferSource,
    { name: 'HMAC', hash: `SHA-${alg.slice(2)}` },
    false,
    ['sign'],
  )
}

/** The decoded header and payload of a compact token (no verification). */
export function decodeParts(token: string): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
} {
  const [header, payload] = token.split('.') as [string, string]
  return { header: JSON.parse(fromB64(header)), payload: JSON.parse(fromB64(payload)) }
}
