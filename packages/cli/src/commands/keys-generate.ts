import { writeFile } from 'node:fs/promises'
import { ALGORITHMS, type Algorithm } from '@covet/core'
import { base64url, calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } from 'jose'
import { choice, type Parsed, str } from '../lib/args.js'
import { CommandFailure, EXIT, UsageError } from '../lib/errors.js'
import { describeFileError } from '../lib/file-errors.js'
import type { Io } from '../lib/io.js'

export const help = `Usage: covet keys generate --alg <alg> [--kid <id>] [--format pem|jwk] [--out <file>]

Generate a signing key, ready for the demo and for createJwtAuth({ keys }).

  --alg <alg>        ${ALGORITHMS.join(', ')} (required)
  --format pem|jwk   pem (default): a PKCS#8 PEM, for COVET_PRIVATE_KEY_FILE; for HS* the
                     secret itself, for COVET_SECRET. jwk: a private JSON Web Key with alg and kid.
  --kid <id>         key id written into the JWK (default: its RFC 7638 thumbprint); jwk only,
                     since a PEM has no place for it
  --out <file>       write to a new file (mode 600) instead of standard output
  -h, --help         show this help

HMAC secrets are random and as long as the hash output (RFC 7518 §3.2); RSA keys are 2048 bits,
EC keys use the curve the algorithm names, EdDSA keys are Ed25519. A client's DPoP key is one of
these too: --alg ES256 --format jwk, for 'covet dpop proof --key'.

Exit codes: 0 written, 1 could not write, 2 usage error.`

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = {
  alg: { type: 'string' },
  kid: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const

/** Positional arguments taken at most. */
export const positionals = 0

/** `covet keys generate` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const alg = choice(parsed, 'alg', ALGORITHMS)
  if (alg === undefined) throw new UsageError('--alg is required')
  const format = choice(parsed, 'format', ['pem', 'jwk'] as const, 'pem')!
  const kid = str(parsed, 'kid')
  if (kid !== undefined && format === 'pem') {
    throw new UsageError('--kid needs --format jwk: a PEM file has no place for a key id')
  }
  if (kid === '') throw new UsageError('--kid must not be empty')
  const text = await generate(alg, format, kid)
  await emit(parsed, io, text)
  return EXIT.ok
}

async function generate(alg: Algorithm, format: 'pem' | 'jwk', kid: string | undefined): Promise<string> {
  if (alg.startsWith('HS')) {
    // RFC 7518 §3.2: at least as many bytes as the hash output. The secret is base64url text
    // (more bytes than that when read as UTF-8, as COVET_SECRET is) carrying that much entropy.
    const secret = base64url.encode(crypto.getRandomValues(new Uint8Array(Number(alg.slice(2)) / 8)))
    if (format === 'pem') return secret
    const jwk = { kty: 'oct', k: base64url.encode(new TextEncoder().encode(secret)) }
    return json({ ...jwk, alg, use: 'sig', kid: kid ?? (await calculateJwkThumbprint(jwk)) })
  }
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })
  if (format === 'pem') return exportPKCS8(privateKey)
  const jwk = await exportJWK(privateKey)
  return json({ ...jwk, alg, use: 'sig', kid: kid ?? (await calculateJwkThumbprint(jwk)) })
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

async function emit(parsed: Parsed, io: Io, text: string): Promise<void> {
  const out = str(parsed, 'out')
  if (out === undefined) return io.out(text.endsWith('\n') ? text : `${text}\n`)
  try {
    // A key file is readable by its owner only, and never overwritten by accident.
    await writeFile(out, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CommandFailure(
        `${out} already exists, and a key file is never overwritten: remove it or choose another --out`,
      )
    }
    throw new CommandFailure(`cannot write ${out}: ${describeFileError(error)}`)
  }
  io.err(`wrote ${out}`)
}
