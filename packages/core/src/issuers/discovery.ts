import { DocumentFetchError, fetchJson } from './fetch-json.js'

/**
 * Where an issuer's metadata may be published, in the order tried: OpenID Connect Discovery 1.0
 * §4 appends the well-known path to the issuer; RFC 8414 §3.1 inserts its own between the host
 * and the issuer's path. Any terminating `/` of the issuer's path is removed first (both specs).
 */
export function metadataUrls(issuer: string): URL[] {
  const url = new URL(issuer)
  const path = url.pathname.replace(/\/$/, '')
  return [
    new URL(`${url.origin}${path}/.well-known/openid-configuration`),
    new URL(`${url.origin}/.well-known/oauth-authorization-server${path}`),
  ]
}

/**
 * The `jwks_uri` an issuer publishes in its metadata: OpenID Connect Discovery first, then RFC
 * 8414. A document is used only if its `issuer` is exactly the configured one (RFC 8414 §3.3,
 * OpenID Connect Discovery §4.3); otherwise the next location is tried. Rejects with a
 * `DocumentFetchError` naming why each location failed when none gives a usable document.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<URL> {
  const failures: string[] = []
  for (const url of metadataUrls(issuer)) {
    try {
      const { body } = await fetchJson(url, timeoutMs)
      const metadata = body as { issuer?: unknown; jwks_uri?: unknown }
      // RFC 8414 §3.3: "If these values are not identical, the data contained in the response MUST NOT be used."
      if (metadata.issuer !== issuer) {
        throw new DocumentFetchError(`the metadata at ${url.href} names another issuer`)
      }
      return jwksUriOf(metadata.jwks_uri, url)
    } catch (error) {
      failures.push(reasonOf(error, url))
    }
  }
  throw new DocumentFetchError(`no usable metadata (${failures.join('; ')})`)
}

function reasonOf(error: unknown, url: URL): string {
  if (error instanceof DocumentFetchError) return error.message
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${url.origin}${url.pathname}: ${error instanceof Error ? error.message : String(error)}${cause}`
}

function jwksUriOf(value: unknown, from: URL): URL {
  if (typeof value === 'string') {
    try {
      const uri = new URL(value)
      if (uri.protocol === 'https:' || uri.protocol === 'http:') return uri
    } catch {
      // Reported below.
    }
  }
  throw new DocumentFetchError(`the metadata at ${from.href} has no http(s) jwks_uri`)
}
