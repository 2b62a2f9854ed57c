import { type CryptoKey, exportJWK, type JWK, SignJWT } from 'jose'
import { InvalidArgumentError } from '../errors.js'
import { DPOP_ALGORITHMS, type DpopAlgorithm } from './algorithms.js'
import { tokenHash } from './token-hash.js'

/** A client's DPoP key: the private key signs, the public one travels in every proof's header. */
export interface DpopKeyPair {
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
}

/** What one proof is for. */
export interface DpopProofRequest {
  /** The HTTP method of the request (`htm`). */
  method: string
  /** The request URL (`htu`); its query and fragment are left out. */
  url: string | URL
  /** The access token sent with the proof, whose hash becomes `ath` (at a resource, RFC 9449 §7). */
  accessToken?: string
  /** The server's last `DPoP-Nonce` (RFC 9449 §8, §9). */
  nonce?: string
  /** Unix seconds; default now. */
  issuedAt?: number
}

/**
 * A DPoP proof (RFC 9449 §4.2) for one request, signed with `key`: header `typ: dpop+jwt`, `alg`,
 * the public `jwk`; claims `jti` (random), `htm`, `htu`, `iat`, and `ath` / `nonce` when given.
 * For clients that call a Covet resource from code, and for `covet dpop proof`.
 *
 * @example
 * ```ts
 * const key = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
 * const proof = await createDpopProof(key, 'ES256', { method: 'GET', url: 'https://api.example.com/me', accessToken })
 * await fetch('https://api.example.com/me', { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 */
export async function createDpopProof(
  key: DpopKeyPair,
  alg: DpopAlgorithm,
  request: DpopProofRequest,
): Promise<string> {
  if (!(DPOP_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new InvalidArgumentError('alg must be an asymmetric JWS algorithm')
  }
  const url = new URL(request.url)
  // RFC 9449 §4.2: htu is the URL without query and fragment.
  const htu = `${url.origin}${url.pathname}`
  const jwk = publicMembers(await exportJWK(key.publicKey))
  const claims: Record<string, unknown> = { htm: request.method, htu }
  if (request.accessToken !== undefined) claims.ath = await tokenHash(request.accessToken)
  if (request.nonce !== undefined) claims.nonce = request.nonce
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
    .setJti(crypto.randomUUID())
    .setIssuedAt(request.issuedAt ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey)
}

/** The members RFC 7638 §3.2 names for each key type: nothing private, nothing optional. */
function publicMembers(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk
  const members = { kty, crv, x, y, n, e }
  return Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined)) as JWK
}
