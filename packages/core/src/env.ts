/**
 * `@covet/core/env`: keys from environment variables. Kept out of the main entry because reading
 * a key file needs the runtime's file system; the main entry imports nothing runtime-specific.
 */
import { ConfigError } from './errors.js'
import type { KeyInput } from './types.js'

/** The variables `loadKeysFromEnv` reads; at most one of them may be set. */
export const KEY_ENV_VARIABLES = ['COVET_SECRET', 'COVET_PRIVATE_KEY', 'COVET_PRIVATE_KEY_FILE'] as const

export type KeyEnvVariable = (typeof KEY_ENV_VARIABLES)[number]

export interface LoadKeysFromEnvOptions {
  /** Where to read the variables. Default `globalThis.process?.env` (Node, Bun, and Deno's Node compatibility). */
  env?: Readonly<Record<string, string | undefined>>
}

/** The one function of `node:fs/promises` used here, declared locally: core compiles without runtime types. */
interface FileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>
}

// Not a literal: core's typecheck knows no `node:` module, and bundlers must leave this import to the runtime.
const FS_MODULE: string = 'node:fs/promises'

/**
 * Reads the signing key from `COVET_SECRET` (an HMAC secret: the UTF-8 bytes of the string),
 * `COVET_PRIVATE_KEY` (a PKCS#8 PEM or a private JWK as JSON text) or `COVET_PRIVATE_KEY_FILE`
 * (the path of a file holding either), and returns it in the form `createJwtAuth({ keys })` takes:
 * a string, or a JWK object. Resolves `undefined` when none is set. Setting two of them at once,
 * an empty value, or a value that is no private key throws a `ConfigError` naming the variable;
 * messages never echo the secret or the file's contents.
 *
 * @example
 * import { createJwtAuth } from '@covet/core'
 * import { loadKeysFromEnv } from '@covet/core/env'
 * const auth = await createJwtAuth({ algorithm: 'ES256', keys: await loadKeysFromEnv() })
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-4 JWK parameters
 * @see https://www.rfc-editor.org/rfc/rfc5208 PKCS#8
 */
export async function loadKeysFromEnv(options: LoadKeysFromEnvOptions = {}): Promise<KeyInput | undefined> {
  const env = options.env ?? readProcessEnv()
  if (env === undefined) return undefined
  const set = KEY_ENV_VARIABLES.filter((name) => env[name] !== undefined)
  if (set.length > 1) {
    throw new ConfigError(
      set.join(', '),
      'set only one of COVET_SECRET, COVET_PRIVATE_KEY, COVET_PRIVATE_KEY_FILE',
    )
  }
  const name = set[0]
  if (name === undefined) return undefined
  const value = env[name]!
  if (value.trim() === '') throw new ConfigError(name, 'is set but empty')
  if (name === 'COVET_SECRET') return value
  if (name === 'COVET_PRIVATE_KEY') return parsePrivateKey(value, name)
  return parsePrivateKey(await readKeyFile(value, name), name)
}

function readProcessEnv(): Readonly<Record<string, string | undefined>> | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
  return process?.env
}

async function readKeyFile(path: string, name: KeyEnvVariable): Promise<string> {
  let fs: FileSystem
  try {
    fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ FS_MODULE)) as FileSystem
  } catch (cause) {
    throw new ConfigError(name, 'this runtime has no node:fs/promises to read the file with', { cause })
  }
  try {
    return await fs.readFile(path, 'utf8')
  } catch (cause) {
    // The file system's error names the path and the reason (ENOENT, EACCES…), never the contents.
    const code = (cause as { code?: unknown }).code
    throw new ConfigError(name, `the file could not be read${typeof code === 'string' ? ` (${code})` : ''}`, {
      cause,
    })
  }
}

/** A PKCS#8 PEM stays a string; JSON text becomes a JWK object. Anything else is refused. */
function parsePrivateKey(text: string, name: KeyEnvVariable): KeyInput {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) return parseJwk(trimmed, name)
  // Platforms that store one-line variables often keep a PEM's newlines as the two characters `\n`.
  const pem = trimmed.includes('\n') ? trimmed : trimmed.replaceAll('\\n', '\n')
  if (/^-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) return pem
  if (/^-----BEGIN [A-Z0-9 ]+-----/.test(pem)) {
    throw new ConfigError(
      name,
      'holds a PEM that is not a private key: a PKCS#8 private key is needed to sign',
    )
  }
  throw new ConfigError(name, 'must hold a PKCS#8 PEM private key or a private JWK as JSON')
}

function parseJwk(text: string, name: KeyEnvVariable): KeyInput {
  let jwk: unknown
  try {
    jwk = JSON.parse(text)
  } catch {
    // No cause: JSON.parse's message quotes the text it failed on, which here is key material.
    throw new ConfigError(name, 'is not valid JSON')
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new ConfigError(name, 'must be a JWK object')
  }
  const { kty, d, k } = jwk as { kty?: unknown; d?: unknown; k?: unknown }
  if (typeof kty !== 'string') throw new ConfigError(name, 'must be a JWK with a "kty" member')
  // RFC 7518 §6.2.2, §6.3.2, RFC 8037 §2: "d" is the private member; §6.4.1: "k" for a symmetric key.
  const hasPrivateMember = kty === 'oct' ? typeof k === 'string' : typeof d === 'string'
  if (!hasPrivateMember) {
    throw new ConfigError(name, 'holds a JWK without its private member: a private key is needed to sign')
  }
  return jwk as JsonWebKey
}
