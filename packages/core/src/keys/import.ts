import { base64url, calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, importSPKI } from 'jose'
import { ConfigError } from '../errors.js'
import type { KeyInput, PublicJwk } from '../types.js'
import {
  type Algorithm,
  hashOf,
  isAlgorithm,
  isHmac,
  keyAlgorithmFor,
  minimumSecretBytes,
} from './algorithms.js'

/** A key ready for use: imported once, pinned to one algorithm, with its id. */
export interface ImportedKey {
  readonly kid: string
  readonly alg: Algorithm
  readonly verifyKey: CryptoKey
  /** Absent for verification-only (public) keys. */
  readonly signKey: CryptoKey | undefined
  /** The public JWK for `jwks()`; absent for HMAC secrets, which are never published. */
  readonly publicJwk: PublicJwk | undefined
}

type KeyMaterial = string | Uint8Array | CryptoKey | JsonWebKey | CryptoKeyPair

const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
}

/** Imports one key of any accepted form, refusing weak keys and keys that do not fit the algorithm. */
export async function importKey(input: KeyInput, defaultAlg: Algorithm, field: string): Promise<ImportedKey> {
  const { material, kid, alg: requestedAlg } = unwrap(input)
  const jwkAlg = isJwk(material) ? material.alg : undefined
  const alg = requestedAlg ?? jwkAlg ?? defaultAlg
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    throw new ConfigError(`${field}.alg`, 'the "none" algorithm is never accepted (RFC 8725 §3.1)')
  }
  if (!isAlgorithm(alg)) throw new ConfigError(`${field}.alg`, 'is not a supported algorithm')
  if (jwkAlg !== undefined && jwkAlg !== alg) {
    throw new ConfigError(`${field}.alg`, `the JWK is for ${jwkAlg}, not ${alg}`)
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > 256)) {
    throw new ConfigError(`${field}.kid`, 'must be a non-empty string of at most 256 characters')
  }
  if (isJwk(material)) checkJwkUse(material, field)
  return isHmac(alg) ? importSecret(material, alg, kid, field) : importAsymmetric(material, alg, kid, field)
}

function unwrap(input: KeyInput): { material: KeyMaterial; kid?: string; alg?: string } {
  if (
    typeof input === 'object' &&
    input !== null &&
    !(input instanceof Uint8Array) &&
    !isCryptoKey(input) &&
    'key' in input &&
    !('kty' in input)
  ) {
    const wrapper = input as { key: KeyMaterial; kid?: string; alg?: string }
    // A wrapped JWK keeps its own kid unless the wrapper names another.
    const inner = isJwk(wrapper.key) && typeof wrapper.key.kid === 'string' ? { kid: wrapper.key.kid } : {}
    return { material: wrapper.key, ...inner, ...pick(wrapper, 'kid', 'alg') }
  }
  const material = input as KeyMaterial
  const kid = isJwk(material) && typeof material.kid === 'string' ? material.kid : undefined
  return kid === undefined ? { material } : { material, kid }
}

function pick<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {}
  for (const key of keys) if (obj[key] !== undefined) out[key] = obj[key]
  return out
}

async function importSecret(
  material: KeyMaterial,
  alg: 'HS256' | 'HS384' | 'HS512',
  kid: string | undefined,
  field: string,
): Promise<ImportedKey> {
  let bytes: Uint8Array
  if (typeof material === 'string') {
    if (material.includes('-----BEGIN')) throw new ConfigError(field, `a PEM key cannot be used with ${alg}`)
    bytes = new TextEncoder().encode(material)
  } else if (material instanceof Uint8Array) {
    bytes = material
  } else if (isJwk(material) && material.kty === 'oct' && typeof material.k === 'string') {
    bytes = decodeJwkSecret(material.k, field)
  } else if (isCryptoKey(material) && material.type === 'secret' && material.algorithm.name === 'HMAC') {
    if (!material.extractable) {
      throw new ConfigError(field, 'an HMAC CryptoKey must be extractable so its length can be checked')
    }
    bytes = new Uint8Array(await crypto.subtle.exportKey('raw', material))
  } else {
    throw new ConfigError(field, `${alg} needs a secret (string, Uint8Array, oct JWK or HMAC CryptoKey)`)
  }
  // RFC 7518 §3.2: a key of the same size as the hash output or larger MUST be used.
  const minimum = minimumSecretBytes(alg)
  if (bytes.byteLength < minimum) {
    throw new ConfigError(field, `an ${alg} secret must be at least ${minimum} bytes (RFC 7518 §3.2)`)
  }
  const key = await crypto.subtle.importKey(
    'raw',
    bytes as BufferSource,
    { name: 'HMAC', hash: hashOf(alg)! },
    false,
    ['sign', 'verify'],
  )
  return {
    kid: kid ?? (await calculateJwkThumbprint({ kty: 'oct', k: base64url.encode(bytes) })),
    alg,
    verifyKey: key,
    signKey: key,
    publicJwk: undefined,
  }
}

function decodeJwkSecret(k: string, field: string): Uint8Array {
  try {
    return base64url.decode(k)
  } catch (cause) {
    throw new ConfigError(field, 'the oct JWK member "k" is not base64url', { cause })
  }
}

async function importAsymmetric(
  material: KeyMaterial,
  alg: Exclude<Algorithm, 'HS256' | 'HS384' | 'HS512'>,
  kid: string | undefined,
  field: string,
): Promise<ImportedKey> {
  const { privateKey, publicKey } = await toCryptoKeys(material, alg, field)
  const checked = privateKey ?? publicKey!
  checkKeyFits(checked, alg, field)
  const source = privateKey ?? publicKey!
  if (!source.extractable) {
    throw new ConfigError(
      field,
      'the CryptoKey must be extractable (or pass a CryptoKeyPair) to derive its public JWK',
    )
  }
  const fullJwk = await exportJWK(source)
  const publicMembers = PUBLIC_MEMBERS[fullJwk.kty ?? ''] ?? []
  const publicJwkBase: Record<string, unknown> = {}
  for (const member of publicMembers) publicJwkBase[member] = fullJwk[member as keyof typeof fullJwk]
  const keyId = kid ?? (await calculateJwkThumbprint(publicJwkBase as { kty: string }))
  const verifyKey = (await importJWK(publicJwkBase, alg, { extractable: true })) as CryptoKey
  // Keep the signing key non-extractable: it is re-imported from the one export made above.
  const signKey = privateKey
    ? ((await importJWK({ ...fullJwk, ext: false }, alg, { extractable: false })) as CryptoKey)
    : undefined
  return {
    kid: keyId,
    alg,
    verifyKey,
    signKey,
    publicJwk: { ...publicJwkBase, kid: keyId, alg, use: 'sig' } as PublicJwk,
  }
}

async function toCryptoKeys(
  material: KeyMaterial,
  alg: Algorithm,
  field: string,
): Promise<{ privateKey?: CryptoKey; publicKey?: CryptoKey }> {
  try {
    if (typeof material === 'string') {
      if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(material)) {
        throw new ConfigError(field, 'PKCS#1 and SEC1 PEM are not accepted: convert the key to PKCS#8')
      }
      if (material.includes('-----BEGIN PRIVATE KEY-----')) {
        return { privateKey: await importPKCS8(material, alg, { extractable: true }) }
      }
      if (material.includes('-----BEGIN PUBLIC KEY-----')) {
        return { publicKey: await importSPKI(material, alg, { extractable: true }) }
      }
      throw new ConfigError(field, `${alg} needs a PEM (PKCS#8 or SPKI), a JWK or a CryptoKey, not a secret`)
    }
    if (material instanceof Uint8Array) throw new ConfigError(field, `a secret cannot be used with ${alg}`)
    if (isCryptoKeyPair(material)) return { privateKey: material.privateKey, publicKey: material.publicKey }
    if (isCryptoKey(material)) {
      if (material.type === 'secret') throw new ConfigError(field, `a secret cannot be used with ${alg}`)
      return material.type === 'private' ? { privateKey: material } : { publicKey: material }
    }
    if (isJwk(material)) {
      if (material.kty === 'oct') throw new ConfigError(field, `a secret cannot be used with ${alg}`)
      const { ext: _ext, key_ops: _ops, ...jwk } = material
      const key = (await importJWK(jwk, alg, { extractable: true })) as CryptoKey
      return key.type === 'private' ? { privateKey: key } : { publicKey: key }
    }
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause
    throw new ConfigError(field, `could not be imported as a ${alg} key`, { cause })
  }
  throw new ConfigError(field, 'is not a key (secret, PEM, JWK or CryptoKey)')
}

function checkKeyFits(key: CryptoKey, alg: Algorithm, field: string): void {
  const expected = keyAlgorithmFor(alg)
  const actual = key.algorithm as KeyAlgorithm & {
    namedCurve?: string
    modulusLength?: number
    hash?: { name: string }
  }
  if (actual.name !== expected.name || (expected.namedCurve && actual.namedCurve !== expected.namedCurve)) {
    throw new ConfigError(field, `the key does not fit ${alg}`)
  }
  if (actual.hash && actual.hash.name !== hashOf(alg))
    throw new ConfigError(field, `the key does not fit ${alg}`)
  // RFC 7518 §3.3: a key of size 2048 bits or larger MUST be used with these algorithms.
  if (actual.modulusLength !== undefined && actual.modulusLength < 2048) {
    throw new ConfigError(field, 'RSA keys must be at least 2048 bits (RFC 7518 §3.3)')
  }
}

function checkJwkUse(jwk: JsonWebKey & { use?: string }, field: string): void {
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw new ConfigError(`${field}.use`, 'the JWK is not for signatures')
  if (jwk.key_ops !== undefined && !jwk.key_ops.some((op) => op === 'sign' || op === 'verify')) {
    throw new ConfigError(`${field}.key_ops`, 'the JWK allows neither "sign" nor "verify"')
  }
}

function isJwk(value: unknown): value is JsonWebKey & { alg?: string; kid?: string; use?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { kty?: unknown }).kty === 'string'
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey
}

function isCryptoKeyPair(value: unknown): value is CryptoKeyPair {
  return (
    typeof value === 'object' &&
    value !== null &&
    isCryptoKey((value as CryptoKeyPair).privateKey) &&
    isCryptoKey((value as CryptoKeyPair).publicKey)
  )
}
