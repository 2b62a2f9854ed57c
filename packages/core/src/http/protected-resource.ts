import * as v from 'valibot'
import { DPOP_ALGORITHMS, type DpopAlgorithm } from '../dpop/algorithms.js'
import { ConfigError } from '../errors.js'
import { isScopeToken } from '../lib/scope.js'
import { parseOptions } from '../options.js'
import { requestPathname } from './request-target.js'
import { createResponse } from './response.js'

/** The RFC 9728 §2 metadata of a protected resource (the members Covet serves). */
export interface ProtectedResourceMetadata {
  readonly resource: string
  readonly authorization_servers?: readonly string[]
  readonly bearer_methods_supported: readonly string[]
  readonly scopes_supported?: readonly string[]
  /** RFC 9728 §2: the algorithms DPoP proofs may be signed with (RFC 9449). */
  readonly dpop_signing_alg_values_supported?: readonly string[]
  /** RFC 9728 §2: whether every access token must be DPoP-bound (`withJwtAuth({ dpop: 'required' })`). */
  readonly dpop_bound_access_tokens_required?: boolean
}

export interface ProtectedResourceOptions {
  /** The resource identifier: an `https` URL (or `http` on a loopback host), without fragment. */
  resource: string
  /** Issuer identifiers of the authorization servers that issue tokens for this resource. */
  authorizationServers?: readonly string[]
  /** Scopes the resource understands. */
  scopesSupported?: readonly string[]
  /** How the resource accepts tokens (RFC 9728 §2). Default `['header']`. */
  bearerMethodsSupported?: readonly ('header' | 'body' | 'query')[]
  /**
   * The algorithms DPoP proofs may be signed with, as `withJwtAuth`'s `dpop.algorithms`. Default
   * `DPOP_ALGORITHMS`; `false` when the resource takes no DPoP (`dpop: 'off'`).
   */
  dpopSigningAlgValuesSupported?: readonly DpopAlgorithm[] | false
  /** Set it with `withJwtAuth({ dpop: 'required' })`: only DPoP-bound tokens are accepted. */
  dpopBoundAccessTokensRequired?: boolean
}

/** A protected resource's metadata, the URL it is served at, and the handler serving it. */
export interface ProtectedResource {
  readonly metadata: ProtectedResourceMetadata
  /** The absolute URL of the metadata, for the challenge's `resource_metadata` (RFC 9728 §5.1). */
  readonly metadataUrl: string
  /** The path the metadata is served at, `/.well-known/oauth-protected-resource[/path]`. */
  readonly path: string
  /** Serves the metadata on `GET`/`HEAD` at `path`; 404 elsewhere, 405 for other methods. */
  readonly handler: (request: Request) => Response
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource'
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

const url = v.pipe(
  v.string(),
  v.check((value) => URL.canParse(value), 'must be an absolute URL'),
)
const schema = v.object({
  resource: url,
  authorizationServers: v.optional(v.array(url)),
  scopesSupported: v.optional(
    v.array(
      v.pipe(
        v.string(),
        v.check((token) => isScopeToken(token), 'must be a scope token (RFC 6749 §3.3)'),
      ),
    ),
  ),
  bearerMethodsSupported: v.optional(v.array(v.picklist(['header', 'body', 'query']))),
  dpopSigningAlgValuesSupported: v.optional(
    v.union([v.literal(false), v.array(v.picklist(DPOP_ALGORITHMS, 'must be asymmetric JWS algorithms'))]),
  ),
  dpopBoundAccessTokensRequired: v.optional(v.boolean()),
})

/**
 * Describe a protected resource (RFC 9728): the metadata document, its well-known URL and a
 * handler serving it. Give it to `withJwtAuth({ resourceMetadata })` to advertise it in every
 * challenge and serve it without a token.
 *
 * @example
 * ```ts
 * const resource = createProtectedResource({ resource: 'https://api.example.com', authorizationServers: ['https://auth.example.com'] })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function createProtectedResource(options: ProtectedResourceOptions): ProtectedResource {
  const o = parseOptions(schema, options, { prefix: 'resourceMetadata' })
  const resource = new URL(o.resource)
  // RFC 9728 §1.2: the identifier is an https URL with no fragment.
  if (resource.protocol !== 'https:' && !(resource.protocol === 'http:' && LOOPBACK.has(resource.hostname))) {
    throw new ConfigError('resourceMetadata.resource', 'must be an https URL (http only on a loopback host)')
  }
  if (resource.hash !== '') throw new ConfigError('resourceMetadata.resource', 'must not have a fragment')
  // RFC 9728 §3.1: the well-known segment goes between the host and the identifier's path.
  const path = WELL_KNOWN + (resource.pathname === '/' ? '' : resource.pathname)
  if (o.dpopBoundAccessTokensRequired === true && o.dpopSigningAlgValuesSupported === false) {
    throw new ConfigError(
      'resourceMetadata.dpopSigningAlgValuesSupported',
      'must list algorithms when DPoP is required',
    )
  }
  const dpopAlgs = o.dpopSigningAlgValuesSupported ?? DPOP_ALGORITHMS
  const metadata: ProtectedResourceMetadata = {
    resource: o.resource,
    ...(o.authorizationServers && { authorization_servers: o.authorizationServers }),
    bearer_methods_supported: o.bearerMethodsSupported ?? ['header'],
    ...(o.scopesSupported && { scopes_supported: o.scopesSupported }),
    ...(dpopAlgs !== false && { dpop_signing_alg_values_supported: dpopAlgs }),
    ...(o.dpopBoundAccessTokensRequired && { dpop_bound_access_tokens_required: true }),
  }
  const body = JSON.stringify(metadata)
  return {
    metadata,
    metadataUrl: resource.origin + path,
    path,
    handler(request) {
      if (requestPathname(request.url, null) !== path) return createResponse(request, null, { status: 404 })
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return createResponse(request, null, { status: 405, headers: { allow: 'GET, HEAD' } })
      }
      const content = request.method === 'HEAD' ? null : body
      return createResponse(request, content, {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })
    },
  }
}
