import { readFile } from 'node:fs/promises'
import type { Algorithm } from '@covet/core'
import { CommandFailure } from './errors.js'
import { describeFileError } from './file-errors.js'
import { algorithmOfJwk, type KeyMaterial, readKeyFile } from './keys.js'

type Jwk = JsonWebKey & { alg?: string; kid?: string }

/**
 * The keys of a file: a JWK Set (RFC 7517 §5), one JWK, or a PEM. Each key of a set keeps the
 * `alg` it names; `alg` applies to the keys that name none, and contradicting a key's own is refused.
 */
export async function readKeys(path: string, alg?: Algorithm): Promise<KeyMaterial[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CommandFailure(`cannot read ${path}: ${describeFileError(error)}`)
  }
  const set = parseSet(text)
  if (set === undefined) return [await readKeyFile(path, alg)]
  if (set.length === 0) throw new CommandFailure(`${path} is a JWK Set without keys`, 'ERR_CONFIG')
  return set.map((jwk, index) => {
    if (jwk === null || typeof jwk !== 'object' || typeof jwk.kty !== 'string') {
      throw new CommandFailure(`keys[${index}] in ${path} is not a JSON Web Key`, 'ERR_CONFIG')
    }
    const name = typeof jwk.kid === 'string' ? `key "${jwk.kid}"` : `keys[${index}]`
    if (alg !== undefined && jwk.alg !== undefined && jwk.alg !== alg) {
      throw new CommandFailure(`${name} in ${path} is for ${jwk.alg}, not ${alg}`, 'ERR_CONFIG')
    }
    const resolved = alg ?? (jwk.alg as Algorithm | undefined) ?? algorithmOfJwk(jwk, path)
    return typeof jwk.kid === 'string'
      ? { key: jwk, alg: resolved, kid: jwk.kid }
      : { key: jwk, alg: resolved }
  })
}

/** The `keys` of a JWK Set, or `undefined` when the text is not one. */
function parseSet(text: string): Jwk[] | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return undefined
  try {
    const parsed = JSON.parse(trimmed) as { keys?: unknown }
    return Array.isArray(parsed.keys) ? (parsed.keys as Jwk[]) : undefined
  } catch {
    return undefined
  }
}
