import { generateKeyPair } from 'jose'
import { type Algorithm, isHmac } from './algorithms.js'
import { type ImportedKey, importKey } from './import.js'

/**
 * A fresh key for `alg`: a 64-byte secret for HMAC, RSA 2048, the curve the ES algorithm names,
 * or Ed25519. Used when no key is configured (development only: tokens die with the process).
 */
export async function generateKey(alg: Algorithm): Promise<ImportedKey> {
  if (isHmac(alg)) return importKey(crypto.getRandomValues(new Uint8Array(64)), alg, 'keys')
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })
  return importKey({ key: pair, alg }, alg, 'keys')
}
