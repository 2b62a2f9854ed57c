import type { Algorithm, KeyInput } from '@covet/core'
import { type Parsed, str } from './args.js'
import { UsageError } from './errors.js'
import type { Io } from './io.js'
import { algorithmOption, readKeyFile } from './keys.js'

/** The key a command signs or verifies with, in the form `createJwtAuth` takes. */
export interface KeySource {
  readonly key: string | JsonWebKey
  readonly algorithm: Algorithm
  readonly kid?: string | undefined
}

/** The key as `createJwtAuth({ keys })` takes it; `kid` overrides the key's own id. */
export function keyInput(source: KeySource, kid?: string): KeyInput {
  const id = kid ?? source.kid
  return id === undefined ? source.key : { key: source.key, kid: id }
}

/**
 * `--key <file>` or `--secret <text>`, else `COVET_PRIVATE_KEY_FILE` or `COVET_SECRET` from the
 * environment (as the demo reads them). `undefined` when none is given.
 */
export async function keySource(parsed: Parsed, io: Io): Promise<KeySource | undefined> {
  const alg = algorithmOption(str(parsed, 'alg'))
  const file = str(parsed, 'key')
  const secret = str(parsed, 'secret')
  if (file !== undefined && secret !== undefined) throw new UsageError('give --key or --secret, not both')
  if (file !== undefined) return fromFile(file, alg)
  if (secret !== undefined) return fromSecret(secret, alg)
  const envFile = io.env['COVET_PRIVATE_KEY_FILE']
  const envSecret = io.env['COVET_SECRET']
  if (envFile && envSecret) throw new UsageError('COVET_PRIVATE_KEY_FILE and COVET_SECRET are both set')
  if (envFile) return fromFile(envFile, alg)
  if (envSecret) return fromSecret(envSecret, alg)
  return undefined
}

async function fromFile(path: string, alg: Algorithm | undefined): Promise<KeySource> {
  const material = await readKeyFile(path, alg)
  return { key: material.key, algorithm: material.alg, kid: material.kid }
}

function fromSecret(secret: string, alg: Algorithm | undefined): KeySource {
  const algorithm = alg ?? 'HS256'
  if (!algorithm.startsWith('HS'))
    throw new UsageError('--secret is an HMAC secret: use --alg HS256, HS384 or HS512')
  if (secret === '') throw new UsageError('--secret must not be empty')
  return { key: secret, algorithm }
}
