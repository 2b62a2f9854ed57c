import { createJwtAuth } from '@covet/core'
import { type Parsed, str } from '../lib/args.js'
import { CommandFailure, EXIT, UsageError } from '../lib/errors.js'
import type { Io } from '../lib/io.js'
import { readKeys } from '../lib/key-set-file.js'
import { algorithmOption } from '../lib/keys.js'

export const help = `Usage: covet keys public <file> [--alg <alg>]

Print the public JSON Web Key Set (RFC 7517 §5) of a private key: what the demo serves at
/.well-known/jwks.json and what 'covet token verify --jwks <file>' reads.

  <file>        a PKCS#8 PEM, a JWK, or a JWK Set (JSON; private or public)
  --alg <alg>   the algorithm of keys that name none (default: RS256 for RSA, ES256/384/512
                for P-256/384/521, EdDSA for Ed25519); a key's own alg is kept
  -h, --help    show this help

Only public members (kty, n, e, crv, x, y) are printed, with kid, alg and use. An HMAC secret
has no public form and is refused.

Exit codes: 0 printed, 1 unreadable or unusable key, 2 usage error.`

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = { alg: { type: 'string' } } as const

/** Positional arguments taken at most. */
export const positionals = 1

/** `covet keys public` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const file = parsed.positionals[0]
  if (file === undefined) throw new UsageError('the key file is required')
  const keys = await readKeys(file, algorithmOption(str(parsed, 'alg')))
  if (keys.some((key) => key.alg.startsWith('HS'))) {
    throw new CommandFailure('an HMAC secret has no public key; never publish it', 'ERR_CONFIG')
  }
  const auth = await createJwtAuth({
    algorithm: keys[0]!.alg,
    keys: keys.map(({ key, alg, kid }) => (kid === undefined ? { key, alg } : { key, alg, kid })),
    cache: false,
  })
  const jwks = auth.jwks()
  await auth.revocation.close?.()
  io.out(`${JSON.stringify(jwks, null, 2)}\n`)
  return EXIT.ok
}
