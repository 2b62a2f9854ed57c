import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ALGORITHMS, type Algorithm } from '@covet/core'
import { CommandFailure, UsageError } from './errors.js'
import { describeFileError } from './file-errors.js'

/** A key read from a file: PEM text or a parsed JWK, and the algorithm it fits. */
export interface KeyMaterial {
  readonly key: string | JsonWebKey
  readonly alg: Algorithm
  readonly kid?: string
}

const EC_ALGORITHMS: Record<string, Algorithm> = {
  'P-256': 'ES256',
  prime256v1: 'ES256',
  'P-384': 'ES384',
  secp384r1: 'ES384',
  'P-521': 'ES512',
  secp521r1: 'ES512',
}

/** `--alg`, checked against the algorithms Covet supports. */
export function algorithmOption(value: string | undefined): Algorithm | undefined {
  if (value === undefined) return undefined
  if (!(ALGORITHMS as readonly string[]).includes(value)) {
    throw new UsageError(`--alg must be one of ${ALGORITHMS.join(', ')}`)
  }
  return value as Algorithm
}

/**
 * Reads a PKCS#8/SPKI PEM or a JWK (JSON) file. The algorithm is `alg` when given, else the JWK's
 * `alg`, else the one the key type implies (RSA → RS256, P-256 → ES256, Ed25519 → EdDSA).
 * Error messages name the file, never its contents.
 */
export async function readKeyFile(path: string, alg?: Algorithm): Promise<KeyMaterial> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CommandFailure(`cannot read ${path}: ${describeFileError(error)}`)
  }
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    let jwk: JsonWebKey & { alg?: string; kid?: string }
    try {
      jwk = JSON.parse(trimmed) as JsonWebKey
    } catch {
      throw new CommandFailure(`${path} is neither a PEM key nor a JSON Web Key`, 'ERR_CONFIG')
    }
    const resolved = alg ?? (jwk.alg as Algorithm | undefined) ?? algorithmOfJwk(jwk, path)
    return typeof jwk.kid === 'string'
      ? { key: jwk, alg: resolved, kid: jwk.kid }
      : { key: jwk, alg: resolved }
  }
  if (!trimmed.startsWith('-----BEGIN')) {
    throw new CommandFailure(`${path} is neither a PEM key nor a JSON Web Key`, 'ERR_CONFIG')
  }
  return { key: trimmed, alg: alg ?? algorithmOfPem(trimmed, path) }
}

/** The algorithm a JWK's type implies (RSA → RS256, P-256 → ES256, Ed25519 → EdDSA, oct → HS256). */
export function algorithmOfJwk(jwk: JsonWebKey, path: string): Algorithm {
  if (jwk.kty === 'RSA') return 'RS256'
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  if (jwk.kty === 'EC' && jwk.crv !== undefined && EC_ALGORITHMS[jwk.crv]) return EC_ALGORITHMS[jwk.crv]!
  if (jwk.kty === 'oct') return 'HS256'
  throw new CommandFailure(`cannot tell the algorithm of the key in ${path}: pass --alg`, 'ERR_CONFIG')
}

function algorithmOfPem(pem: string, path: string): Algorithm {
  let key: KeyObject
  try {
    key = pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : createPublicKey(pem)
  } catch {
    throw new CommandFailure(`${path} does not hold a readable PEM key`, 'ERR_CONFIG')
  }
  const type = key.asymmetricKeyType
  if (type === 'rsa') return 'RS256'
  if (type === 'rsa-pss') return 'PS256'
  if (type === 'ed25519') return 'EdDSA'
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (type === 'ec' && curve !== undefined && EC_ALGORITHMS[curve]) return EC_ALGORITHMS[curve]!
  throw new CommandFailure(`cannot tell the algorithm of the key in ${path}: pass --alg`, 'ERR_CONFIG')
}
