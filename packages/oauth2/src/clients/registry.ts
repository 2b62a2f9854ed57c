import { ConfigError } from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import { redirectUriProblem } from '../authorize/redirect-uri.js'
import { isScopeToken } from '../lib/scope.js'
import {
  DEFAULT_ITERATIONS,
  hashClientSecret,
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  type ParsedSecretHash,
  parseSecretHash,
  verifyClientSecret,
} from './hash.js'
import {
  type ClientConfig,
  type ClientRegistry,
  GRANT_TYPES,
  type GrantType,
  type RegisteredClient,
} from './types.js'
import { VerifiedSecrets } from './verified-secrets.js'

const ScopeList = v.pipe(
  v.array(v.pipe(v.string(), v.check(isScopeToken, 'must be valid scope tokens (RFC 6749 §3.3)'))),
  v.readonly(),
)

const RedirectUri = v.pipe(
  v.string(),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? redirectUriProblem(dataset.value) : undefined
    if (problem !== undefined) addIssue({ message: problem })
  }),
)

/** RFC 6749 §2.1, §4.4: a public client may not use a grant that needs client authentication. */
const PUBLIC_GRANTS: readonly GrantType[] = ['authorization_code', 'refresh_token']

const ClientSchema = v.pipe(
  v.strictObject({
    clientId: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
    name: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
    tokenEndpointAuthMethod: v.optional(v.picklist(['client_secret', 'none'])),
    redirectUris: v.optional(v.pipe(v.array(RedirectUri), v.readonly())),
    secret: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
    secretHash: v.optional(
      v.pipe(
        v.string(),
        v.check((h) => parseSecretHash(h) !== undefined, 'must come from hashClientSecret'),
      ),
    ),
    grantTypes: v.pipe(v.array(v.picklist(GRANT_TYPES)), v.minLength(1, 'must list at least one grant')),
    scopes: v.optional(ScopeList),
    defaultScopes: v.optional(ScopeList),
    roles: v.optional(v.array(v.string())),
    permissions: v.optional(v.array(v.string())),
    introspectAny: v.optional(v.boolean()),
    dpopBoundAccessTokens: v.optional(v.boolean()),
  }),
  v.check(
    (c) =>
      c.tokenEndpointAuthMethod === 'none'
        ? c.secret === undefined && c.secretHash === undefined
        : (c.secret === undefined) !== (c.secretHash === undefined),
    'needs exactly one of secret and secretHash, or neither with tokenEndpointAuthMethod "none"',
  ),
  v.check(
    (c) => c.tokenEndpointAuthMethod !== 'none' || c.grantTypes.every((g) => PUBLIC_GRANTS.includes(g)),
    'a public client may use only the authorization_code and refresh_token grants',
  ),
  v.check(
    (c) => !c.grantTypes.includes('authorization_code') || (c.redirectUris ?? []).length > 0,
    'redirectUris must list at least one URI for the authorization_code grant',
  ),
  v.check(
    (c) => (c.defaultScopes ?? []).every((s) => (c.scopes ?? []).includes(s)),
    'defaultScopes must be among scopes',
  ),
)

export interface ClientRegistryOptions {
  /** PBKDF2 iterations for secrets given in clear. Default 100,000. */
  iterations?: number
  /**
   * Skip PBKDF2 when a client presents the secret it last authenticated with (checked against an
   * in-memory HMAC under a per-process key). Default true; wrong secrets always pay the full hash.
   */
  rememberVerified?: boolean
}

interface Entry {
  readonly client: RegisteredClient
  /** `undefined` for a public client: it has no secret, so none authenticates it. */
  readonly hash: Promise<ParsedSecretHash> | undefined
}

/**
 * A fixed set of clients. Plain secrets are hashed at start-up; secrets are checked in constant
 * time, and an unknown client costs one hash too, so timing does not tell which ids exist.
 *
 * @example
 * const clients = createClientRegistry([
 *   { clientId: 'web', secretHash: process.env.WEB_SECRET_HASH, grantTypes: ['password', 'refresh_token'], scopes: ['read'] },
 * ])
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function createClientRegistry(
  clients: readonly ClientConfig[],
  options: ClientRegistryOptions = {},
): ClientRegistry {
  if (!Array.isArray(clients)) throw new ConfigError('clients', 'must be an array of clients')
  const iterations = options.iterations ?? DEFAULT_ITERATIONS
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new ConfigError('iterations', `must be an integer from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}`)
  }
  const remembered = options.rememberVerified === false ? undefined : new VerifiedSecrets()
  const entries = new Map<string, Entry>()
  let decoyIterations = iterations
  for (const [index, input] of clients.entries()) {
    const config = parseOptions(ClientSchema, input, { prefix: `clients[${index}]` })
    if (entries.has(config.clientId)) throw new ConfigError(`clients[${index}].clientId`, 'is not unique')
    const parsed = config.secretHash === undefined ? undefined : parseSecretHash(config.secretHash)!
    decoyIterations = Math.max(decoyIterations, parsed?.iterations ?? 0)
    const hash =
      parsed !== undefined
        ? Promise.resolve(parsed)
        : config.secret === undefined
          ? undefined
          : hashClientSecret(config.secret, { iterations }).then((h) => parseSecretHash(h)!)
    entries.set(config.clientId, { client: toRegistered(config), hash })
  }
  // Unknown ids are checked against this, so they cost as much as a wrong secret for the costliest client.
  const decoy = hashClientSecret(crypto.randomUUID(), { iterations: decoyIterations }).then(
    (h) => parseSecretHash(h)!,
  )
  const grantTypes = new Set<GrantType>()
  const scopes = new Set<string>()
  for (const { client } of entries.values()) {
    for (const grant of client.grantTypes) grantTypes.add(grant)
    for (const scope of client.scopes) scopes.add(scope)
  }

  const hasPublicClients = [...entries.values()].some((e) => e.client.tokenEndpointAuthMethod === 'none')

  return {
    grantTypes,
    scopes,
    hasPublicClients,
    async find(clientId) {
      return entries.get(clientId)?.client
    },
    async authenticate(clientId, secret) {
      const entry = entries.get(clientId)
      const mac = await remembered?.mac(secret)
      if (mac !== undefined && remembered!.matches(clientId, mac) && entry !== undefined) return entry.client
      // A public client has no secret: one presented for it is checked against the decoy, and fails.
      const matches = await verifyClientSecret(secret, await (entry?.hash ?? decoy))
      if (!matches || entry?.hash === undefined) return undefined
      if (mac !== undefined) remembered!.remember(clientId, mac)
      return entry.client
    },
  }
}

function toRegistered(config: v.InferOutput<typeof ClientSchema>): RegisteredClient {
  return Object.freeze({
    clientId: config.clientId,
    name: config.name,
    tokenEndpointAuthMethod: config.tokenEndpointAuthMethod ?? 'client_secret',
    redirectUris: Object.freeze([...(config.redirectUris ?? [])]),
    grantTypes: new Set(config.grantTypes),
    scopes: new Set(config.scopes ?? []),
    defaultScopes: Object.freeze([...(config.defaultScopes ?? [])]),
    roles: Object.freeze([...(config.roles ?? [])]),
    permissions: Object.freeze([...(config.permissions ?? [])]),
    introspectAny: config.introspectAny ?? false,
    dpopBoundAccessTokens: config.dpopBoundAccessTokens ?? false,
  })
}
