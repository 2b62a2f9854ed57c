import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { createDpopProof, DPOP_ALGORITHMS, type DpopAlgorithm } from '@covet/core'
import { calculateJwkThumbprint, importJWK, type JWK } from 'jose'
import { type Parsed, str } from '../lib/args.js'
import { CommandFailure, EXIT, UsageError } from '../lib/errors.js'
import type { Io } from '../lib/io.js'
import { algorithmOption, readKeyFile } from '../lib/keys.js'

export const help = `Usage: covet dpop proof --key <file> --url <url> [--method <method>] [--token <token>] [options]

Print a DPoP proof (RFC 9449 §4.2) for one request, signed with a private key, for instance:

  curl -H "Authorization: DPoP $AT" \\
       -H "DPoP: $(covet dpop proof --key dpop.jwk --url https://api.example.com/me --token $AT)" \\
       https://api.example.com/me

A proof is good for one request, for about a minute. Get a key with
'covet keys generate --alg ES256 --format jwk --out dpop.jwk'; send a proof without --token to the
token endpoint (--method POST) to get tokens bound to it.

  --key <file>       the private key: PEM (PKCS#8) or JWK (required)
  --url <url>        the request URL (htu); its query and fragment are left out (required)
  --method <method>  the request method (htm), default GET
  --token <token>    the access token the proof goes with: its hash becomes ath
  --nonce <nonce>    the server's last DPoP-Nonce
  --alg <alg>        ${DPOP_ALGORITHMS.join(', ')} (default: from the key)
  -h, --help         show this help

The key's thumbprint (the cnf.jkt of tokens bound to it) is printed on standard error.

Exit codes: 0 printed, 1 the key could not be used, 2 usage error.`

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = {
  key: { type: 'string' },
  url: { type: 'string' },
  method: { type: 'string' },
  token: { type: 'string' },
  nonce: { type: 'string' },
  alg: { type: 'string' },
} as const

/** Positional arguments taken at most. */
export const positionals = 0

// RFC 9110 §9.1: a method is a token.
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** `covet dpop proof` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const path = str(parsed, 'key')
  if (path === undefined) throw new UsageError('--key is required')
  const url = str(parsed, 'url')
  if (url === undefined) throw new UsageError('--url is required')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError('--url must be an absolute http or https URL')
  }
  const method = str(parsed, 'method') ?? 'GET'
  if (!METHOD.test(method)) throw new UsageError('--method must be an HTTP method such as GET or POST')
  const token = str(parsed, 'token')
  const nonce = str(parsed, 'nonce')
  const material = await readKeyFile(path, algorithmOption(str(parsed, 'alg')))
  const alg = material.alg as DpopAlgorithm
  // RFC 9449 §4.2: a proof is signed with an asymmetric key, never a shared secret.
  if (!(DPOP_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new UsageError(`a DPoP key is asymmetric: --alg must be one of ${DPOP_ALGORITHMS.join(', ')}`)
  }
  const { privateJwk, publicJwk } = keyPair(material.key, path)
  let key: { privateKey: CryptoKey; publicKey: CryptoKey }
  try {
    key = {
      privateKey: (await importJWK(privateJwk, alg)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, alg, { extractable: true })) as CryptoKey,
    }
  } catch {
    throw new CommandFailure(`the key in ${path} does not fit ${alg}`, 'ERR_CONFIG')
  }
  const proof = await createDpopProof(key, alg, {
    method,
    url,
    ...(token === undefined ? {} : { accessToken: token }),
    ...(nonce === undefined ? {} : { nonce }),
  })
  io.out(proof)
  io.err(
    `DPoP proof for ${method} ${url}, by the key with thumbprint ${await calculateJwkThumbprint(publicJwk)}`,
  )
  return EXIT.ok
}

/** The private key and its public half as JWKs; a public key alone cannot sign. */
function keyPair(key: string | JsonWebKey, path: string): { privateJwk: JWK; publicJwk: JWK } {
  let privateKey: KeyObject
  try {
    privateKey =
      typeof key === 'string' ? createPrivateKey(key) : createPrivateKey({ key: key as JWK, format: 'jwk' })
  } catch {
    throw new CommandFailure(`${path} does not hold a private key: a proof must be signed`, 'ERR_CONFIG')
  }
  if (privateKey.type !== 'private') {
    throw new CommandFailure(`${path} does not hold a private key: a proof must be signed`, 'ERR_CONFIG')
  }
  return {
    privateJwk: privateKey.export({ format: 'jwk' }) as JWK,
    publicJwk: createPublicKey(privateKey).export({ format: 'jwk' }) as JWK,
  }
}
