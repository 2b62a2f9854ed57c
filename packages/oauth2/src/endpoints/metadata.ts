import { DPOP_ALGORITHMS, type DpopAlgorithm } from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import type { ClientConfig, ClientRegistry, GrantType } from '../clients/types.js'
import { GRANT_TYPES } from '../clients/types.js'
import { methodNotAllowed } from '../lib/responses.js'
import { isScopeToken } from '../lib/scope.js'

export interface MetadataEndpointOptions {
  /** The issuer identifier: an https URL without query or fragment (RFC 8414 §2). */
  issuer: string
  /** Endpoint URLs, absolute or resolved against the issuer (`'/oauth/token'`). */
  tokenEndpoint: string
  /** The authorization endpoint (`createAuthorizationEndpoint`): adds the code flow's metadata. */
  authorizationEndpoint?: string
  revocationEndpoint?: string
  introspectionEndpoint?: string
  jwksUri?: string
  /** Where grants and scopes are read from; or give `grantTypes` and `scopes`. */
  clients?: ClientRegistry | readonly ClientConfig[]
  grantTypes?: readonly GrantType[]
  scopes?: readonly string[]
  /**
   * The algorithms the token endpoint accepts DPoP proofs in (RFC 9449 §5.1,
   * `dpop_signing_alg_values_supported`), as its `dpop.algorithms`. Default `DPOP_ALGORITHMS`;
   * `false` when the token endpoint was created with `dpop: false`.
   */
  dpopAlgorithms?: readonly DpopAlgorithm[] | false
  /** Further metadata members (`service_documentation`, …), added as they are. */
  extra?: Record<string, unknown>
}

const Issuer = v.pipe(
  v.string(),
  v.check((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined
    return (
      url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash
    )
  }, 'must be an http(s) URL without query or fragment (RFC 8414 §2)'),
)
const Endpoint = v.pipe(v.string(), v.minLength(1, 'must not be empty'))

const OptionsSchema = v.object({
  issuer: Issuer,
  tokenEndpoint: Endpoint,
  authorizationEndpoint: v.optional(Endpoint),
  revocationEndpoint: v.optional(Endpoint),
  introspectionEndpoint: v.optional(Endpoint),
  jwksUri: v.optional(Endpoint),
  clients: v.optional(
    v.custom<ClientRegistry | readonly ClientConfig[]>(
      (value) =>
        Array.isArray(value) || (typeof value === 'object' && value !== null && 'grantTypes' in value),
      'must be an array of clients or a client registry',
    ),
  ),
  grantTypes: v.optional(v.array(v.picklist(GRANT_TYPES))),
  scopes: v.optional(v.array(v.pipe(v.string(), v.check(isScopeToken, 'must be valid scope tokens')))),
  dpopAlgorithms: v.optional(
    v.union([v.literal(false), v.array(v.picklist(DPOP_ALGORITHMS, 'must be asymmetric JWS algorithms'))]),
  ),
  extra: v.optional(v.record(v.string(), v.unknown())),
})

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post']

/**
 * The authorization server metadata document (RFC 8414 §2, §3) as a Fetch handler: mount it
 * at `/.well-known/oauth-authorization-server`.
 *
 * @example
 * const metadata = createMetadataEndpoint({ issuer: 'https://auth.example.com', tokenEndpoint: '/oauth/token', clients })
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function createMetadataEndpoint(options: MetadataEndpointOptions): (request: Request) => Response {
  const config = parseOptions(OptionsSchema, options)
  const url = (path: string) => new URL(path, config.issuer).href
  const clients = Array.isArray(config.clients) ? (config.clients as readonly ClientConfig[]) : undefined
  const registry = clients === undefined ? (config.clients as ClientRegistry | undefined) : undefined
  const grants = config.grantTypes ?? [
    ...(registry?.grantTypes ?? new Set(clients?.flatMap((c) => c.grantTypes))),
  ]
  const scopes = config.scopes ?? [...(registry?.scopes ?? new Set(clients?.flatMap((c) => c.scopes ?? [])))]
  const hasPublic =
    registry?.hasPublicClients ?? clients?.some((c) => c.tokenEndpointAuthMethod === 'none') ?? false
  const code = config.authorizationEndpoint === undefined ? undefined : url(config.authorizationEndpoint)
  // RFC 9449 §5.1: the token endpoint takes proofs unless it was told not to.
  const dpopAlgorithms = config.dpopAlgorithms ?? DPOP_ALGORITHMS
  const document = {
    issuer: config.issuer,
    ...(code === undefined ? {} : { authorization_endpoint: code }),
    token_endpoint: url(config.tokenEndpoint),
    ...(config.jwksUri === undefined ? {} : { jwks_uri: url(config.jwksUri) }),
    ...(scopes.length === 0 ? {} : { scopes_supported: scopes }),
    // RFC 8414 §2: required; without an authorization endpoint there is no response type.
    response_types_supported: code === undefined ? [] : ['code'],
    ...(code === undefined
      ? {}
      : {
          response_modes_supported: ['query'],
          // RFC 7636 §4.2 and RFC 9700 §2.1.1: S256 only, never plain.
          code_challenge_methods_supported: ['S256'],
          // RFC 9207 §3: every authorization response carries `iss`.
          authorization_response_iss_parameter_supported: true,
        }),
    grant_types_supported: GRANT_TYPES.filter((grant) => grants.includes(grant)),
    token_endpoint_auth_methods_supported: hasPublic ? [...AUTH_METHODS, 'none'] : AUTH_METHODS,
    ...(config.revocationEndpoint === undefined
      ? {}
      : {
          revocation_endpoint: url(config.revocationEndpoint),
          revocation_endpoint_auth_methods_supported: AUTH_METHODS,
        }),
    ...(config.introspectionEndpoint === undefined
      ? {}
      : {
          introspection_endpoint: url(config.introspectionEndpoint),
          introspection_endpoint_auth_methods_supported: AUTH_METHODS,
        }),
    ...(dpopAlgorithms === false ? {} : { dpop_signing_alg_values_supported: dpopAlgorithms }),
    ...config.extra,
  }
  const body = JSON.stringify(document)
  return function metadataEndpoint(request: Request): Response {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD')
    return new Response(request.method === 'HEAD' ? null : body, {
      headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'public, max-age=300' },
    })
  }
}
