import { exportJWK, exportSPKI, generateKeyPair } from 'jose'
import type { SigningAlg } from './jws.js'

/** A 32-byte HS256 secret used across tests (never a real credential). */
export const SECRET = 'covet-test-secret-0123456789abcdef'
export const KID = 'test-key-1'

export interface TestKeyPair {
  readonly alg: SigningAlg
  readonly pair: CryptoKeyPair
  readonly publicJwk: JsonWebKey
  readonly spki: string
}

/** An extractable key pair for `alg`, with its public key as JWK and SPKI PEM. */
export async function testKeyPair(
  alg: Exclude<SigningAlg, 'HS256' | 'HS384' | 'HS512'>,
): Promise<TestKeyPair> {
  const pair = (await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })) as CryptoKeyPair
  return {
    alg,
    pair,
    publicJwk: await exportJWK(pair.publicKey),
    spki: await exportSPKI(pair.publicKey),
  }
}
