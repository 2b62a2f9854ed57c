import { readFile } from 'node:fs/promises'
import {
  ALGORITHMS,
  type Algorithm,
  boundThumbprint,
  createJwtAuth,
  isCovetError,
  type JwtAuthConfig,
  type KeyInput,
  parseDuration,
} from '@covet/core'
import { choice, type Parsed, str } from '../lib/args.js'
import { CommandFailure, EXIT, UsageError } from '../lib/errors.js'
import type { Io } from '../lib/io.js'
import { describeKeySetOutage } from '../lib/key-set-outage.js'
import { keyInput, keySource } from '../lib/key-source.js'
import { algorithmOption } from '../lib/keys.js'
import { readToken } from '../lib/token-arg.js'

export const help = `Usage: covet token verify <token|-> (--jwks <url|file> | --key <file> | --secret <text>) [options]

Verify a token as a Covet resource server would: signature against the pinned key, typ, iss,
aud, exp/nbf/iat (5 s tolerance) and maximum lifetime. Prints the claims as JSON. Revocation is
not checked: the command cannot see a server's revocation store. Says on standard error whether
the token is bound to a DPoP key (RFC 9449 cnf.jkt), and to which.

  <token>                the token, or - to read it from standard input
  --jwks <url|file>      a JWK Set URL (https://…/.well-known/jwks.json) or a JWK Set file
  --key <file>           PEM (SPKI or PKCS#8) or JWK (default: $COVET_PRIVATE_KEY_FILE)
  --secret <text>        HMAC secret, as UTF-8 bytes (default: $COVET_SECRET)
  --alg <alg>            ${ALGORITHMS.join(', ')} (default: from the key; with a JWK Set
                         URL, any asymmetric algorithm the key fits; HS256 for a secret)
  --issuer <iss>         require this iss
  --audience <aud>       require this aud (required with a JWK Set URL)
  --any-audience         with a JWK Set URL, check no aud (an issuer whose access tokens carry none)
  --type access|refresh|any   the token type to accept (default any)
  --max-lifetime <dur>   longest exp − iat accepted (default 30d)
  -h, --help             show this help

On failure, the error code (ERR_TOKEN_EXPIRED, ERR_TOKEN_INVALID, …) is printed on standard
output and a description on standard error.

Exit codes: 0 valid, 1 refused (or the key set could not be read), 2 usage error.`

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = {
  jwks: { type: 'string' },
  key: { type: 'string' },
  secret: { type: 'string' },
  alg: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  'any-audience': { type: 'boolean' },
  type: { type: 'string' },
  'max-lifetime': { type: 'string' },
} as const

/** Positional arguments taken at most. */
export const positionals = 1

/** `covet token verify` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const type = choice(parsed, 'type', ['access', 'refresh', 'any'] as const, 'any')!
  const lifetime = parseDuration(str(parsed, 'max-lifetime') ?? '30d')
  if (lifetime === undefined || lifetime < 1)
    throw new UsageError('--max-lifetime must be a duration such as 15m or 30d')
  const keyConfig = await keys(parsed, io)
  const token = await readToken(parsed, io)
  const issuer = str(parsed, 'issuer')
  const audience = str(parsed, 'audience')
  const anyAudience = parsed.values['any-audience'] === true
  if (audience !== undefined && anyAudience) throw new UsageError('give one of --audience and --any-audience')
  // RFC 9068 §4: another issuer's tokens are checked against the audience this API expects.
  if (keyConfig.jwksUri !== undefined && audience === undefined && !anyAudience) {
    throw new UsageError('a JWK Set URL needs --audience <aud> (or --any-audience)')
  }
  let auth: Awaited<ReturnType<typeof createJwtAuth>>
  try {
    auth = await createJwtAuth({
      ...keyConfig,
      accessTokenTtl: lifetime,
      refreshTokenTtl: lifetime,
      cache: false,
      // A one-shot command reports the outcome below, with its cause; core's warnings (a key set
      // that could not be fetched) would repeat it, with the URL as given.
      warn: () => {},
      ...(issuer === undefined ? {} : { issuer }),
      ...(audience === undefined ? {} : { audience }),
      ...(anyAudience ? { audience: false as const } : {}),
    })
  } catch (error) {
    throw isCovetError(error) ? new CommandFailure(error.message, error.code) : error
  }
  try {
    const verified = await auth.verifyToken(token, { type })
    io.out(`${JSON.stringify(verified.claims, null, 2)}\n`)
    io.err(`valid ${verified.type} token for ${JSON.stringify(verified.subject)}`)
    // RFC 9449 §6.1: a bound token is accepted only with a proof of its key.
    const jkt = boundThumbprint(verified.claims)
    io.err(
      jkt === undefined
        ? 'not bound to a key: a bearer token'
        : `bound to the DPoP key with thumbprint ${jkt} (cnf.jkt): accepted only with a proof of that key`,
    )
    return EXIT.ok
  } catch (error) {
    if (!isCovetError(error)) throw error
    const reason = (error as { reason?: string }).reason
    const message =
      error.code === 'ERR_KEYSET_UNAVAILABLE' && keyConfig.jwksUri !== undefined
        ? describeKeySetOutage(String(keyConfig.jwksUri), error)
        : `${error.message}${reason === undefined ? '' : ` (${reason})`}`
    io.out(`${error.code}\n`)
    io.err(`covet: ${error.code}: ${message}`)
    return EXIT.failure
  } finally {
    await auth.revocation.close?.()
  }
}

type KeyConfig = Pick<JwtAuthConfig, 'algorithm' | 'algorithms' | 'keys' | 'jwksUri'>

async function keys(parsed: Parsed, io: Io): Promise<KeyConfig> {
  const jwks = str(parsed, 'jwks')
  const alg = algorithmOption(str(parsed, 'alg'))
  if (jwks === undefined) {
    const source = await keySource(parsed, io)
    if (source === undefined) throw new UsageError('a key is required: --jwks, --key or --secret')
    return { algorithm: source.algorithm, keys: keyInput(source) }
  }
  if (str(parsed, 'key') !== undefined || str(parsed, 'secret') !== undefined) {
    throw new UsageError('give one of --jwks, --key and --secret')
  }
  if (/^https?:\/\//i.test(jwks)) {
    // A public key set never verifies an HMAC token (RFC 8725 §3.1: no algorithm confusion).
    const algorithms = alg ? [alg] : ALGORITHMS.filter((a) => !a.startsWith('HS'))
    if (algorithms.some((a) => a.startsWith('HS'))) throw new UsageError('a JWK Set cannot verify HS* tokens')
    return { algorithm: algorithms[0]!, algorithms, jwksUri: jwks }
  }
  return readJwksFile(jwks, alg)
}

async function readJwksFile(path: string, alg: Algorithm | undefined): Promise<KeyConfig> {
  let set: { keys?: unknown }
  try {
    set = JSON.parse(await readFile(path, 'utf8')) as { keys?: unknown }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new CommandFailure(code ? `cannot read ${path}: ${code}` : `${path} is not JSON`)
  }
  if (!Array.isArray(set?.keys) || set.keys.length === 0) {
    throw new CommandFailure(`${path} is not a JWK Set (RFC 7517 §5: { "keys": [ … ] })`, 'ERR_CONFIG')
  }
  const list = set.keys as Array<JsonWebKey & { alg?: string }>
  if (list.some((jwk) => jwk.kty === 'oct')) {
    throw new CommandFailure(`${path} holds a secret key; a JWK Set must be public`, 'ERR_CONFIG')
  }
  const first = list[0]!.alg
  return { algorithm: alg ?? (first as Algorithm | undefined) ?? 'RS256', keys: list as KeyInput[] }
}
