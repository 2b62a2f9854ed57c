import { ALGORITHMS, type CreateTokenOptions, createJwtAuth, parseDuration } from '@covet/core'
import { choice, list, type Parsed, str } from '../lib/args.js'
import { EXIT, UsageError } from '../lib/errors.js'
import type { Io } from '../lib/io.js'
import { keyInput, keySource } from '../lib/key-source.js'

export const help = `Usage: covet token sign --sub <subject> (--key <file> | --secret <text>) [options]

Sign a token as createJwtAuth would, and print it.

  --sub <subject>        the sub claim (required)
  --key <file>           PKCS#8 PEM or private JWK (default: $COVET_PRIVATE_KEY_FILE)
  --secret <text>        HMAC secret, as UTF-8 bytes (default: $COVET_SECRET); prefer the
                         variable: a command line is visible to other local users
  --alg <alg>            ${ALGORITHMS.join(', ')} (default: from the key; HS256 for a secret)
  --kid <id>             key id in the header (default: the key's JWK kid or RFC 7638 thumbprint)
  --roles <a,b>          roles claim (repeatable, comma-separated)
  --permissions <a,b>    permissions claim (repeatable, comma-separated)
  --scope "<a b>"        scope claim, space-separated (RFC 6749 §3.3)
  --client-id <id>       client_id claim
  --claim <name=value>   an extra claim (repeatable); value parsed as JSON when it is JSON
  --ttl <duration>       lifetime: 900, 90s, 15m, 12h, 30d (default 15m)
  --type access|refresh  typ at+jwt (RFC 9068) or Covet's refresh typ (default access)
  --issuer <iss>         iss claim
  --audience <aud>       aud claim
  -h, --help             show this help

Exit codes: 0 printed, 1 unusable key, 2 usage error.`

/** The options `covet` parses before `run`; `--help` is added to every command. */
export const options = {
  sub: { type: 'string' },
  key: { type: 'string' },
  secret: { type: 'string' },
  alg: { type: 'string' },
  kid: { type: 'string' },
  roles: { type: 'string', multiple: true },
  permissions: { type: 'string', multiple: true },
  scope: { type: 'string' },
  'client-id': { type: 'string' },
  claim: { type: 'string', multiple: true },
  ttl: { type: 'string' },
  type: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
} as const

/** Positional arguments taken at most. */
export const positionals = 0

/** `covet token sign` */
export async function run(parsed: Parsed, io: Io): Promise<number> {
  const sub = str(parsed, 'sub')
  if (sub === undefined || sub === '') throw new UsageError('--sub is required')
  const ttl = parseDuration(str(parsed, 'ttl') ?? '15m')
  if (ttl === undefined || ttl < 1)
    throw new UsageError('--ttl must be a duration such as 900, 90s, 15m or 30d')
  const type = choice(parsed, 'type', ['access', 'refresh'] as const, 'access')!
  const source = await keySource(parsed, io)
  if (source === undefined) throw new UsageError('a key is required: --key <file> or --secret <text>')
  const kid = str(parsed, 'kid')
  const auth = await createJwtAuth({
    algorithm: source.algorithm,
    keys: keyInput(source, kid),
    accessTokenTtl: ttl,
    refreshTokenTtl: ttl,
    cache: false,
    ...optional('issuer', str(parsed, 'issuer')),
    ...optional('audience', str(parsed, 'audience')),
  })
  const token = await auth.createToken(sub, { ...grant(parsed), type, ttl })
  await auth.revocation.close?.()
  io.out(`${token}\n`)
  return EXIT.ok
}

function grant(parsed: Parsed): CreateTokenOptions {
  const grant: CreateTokenOptions = {}
  const roles = list(parsed, 'roles')
  const permissions = list(parsed, 'permissions')
  const scope = str(parsed, 'scope')
  const clientId = str(parsed, 'client-id')
  if (roles !== undefined) grant.roles = roles
  if (permissions !== undefined) grant.permissions = permissions
  if (scope !== undefined) grant.scope = scope
  if (clientId !== undefined) grant.clientId = clientId
  const claims = extraClaims(parsed)
  if (claims !== undefined) grant.claims = claims
  // A refresh token belongs to a family (the fid claim); a lone one starts its own.
  if (str(parsed, 'type') === 'refresh') grant.familyId = crypto.randomUUID()
  return grant
}

function extraClaims(parsed: Parsed): Record<string, unknown> | undefined {
  const values = parsed.values['claim'] as string[] | undefined
  if (values === undefined) return undefined
  const claims: Record<string, unknown> = {}
  for (const item of values) {
    const eq = item.indexOf('=')
    if (eq < 1) throw new UsageError(`--claim must be name=value, got ${JSON.stringify(item)}`)
    const raw = item.slice(eq + 1)
    let value: unknown = raw
    try {
      value = JSON.parse(raw)
    } catch {
      // Not JSON: the text itself.
    }
    claims[item.slice(0, eq)] = value
  }
  return claims
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>)
}
