import type { Server } from 'node:http'
// oidc-provider ships no types; what this file uses of it is typed below.
import Provider from 'oidc-provider'

/** The API the provider issues tokens for (RFC 8707 resource indicator), and its `aud`. */
export const RESOURCE = 'https://api.test'
export const CLIENT = { id: 'reports', secret: 'reports-client-secret-0123456789' }

interface ProviderInstance {
  listen(port: number): Server
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance

/** A private JWK, as oidc-provider takes its signing keys. */
export type PrivateJwk = JsonWebKey & { kid: string }

/** A new RS256 signing key (Web Crypto), named by a random `kid`. */
export async function signingKey(): Promise<PrivateJwk> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  }
  const { privateKey } = (await crypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  // Without Web Crypto's key_ops and ext: oidc-provider publishes what it is given, less the private parts.
  const { key_ops: _ops, ext: _ext, ...jwk } = await crypto.subtle.exportKey('jwk', privateKey)
  return { ...jwk, kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' }
}

/**
 * A real oidc-provider on `port`: client credentials for `CLIENT`, and resource indicators that
 * make every access token for `RESOURCE` an RS256 JWT (`typ: at+jwt`, RFC 9068) signed with the
 * first of `keys`; every key is published. Resolves the running server (close it to stop).
 */
export async function startProvider(port: number, keys: readonly PrivateJwk[]): Promise<Server> {
  const issuer = `http://127.0.0.1:${port}`
  const provider = new (Provider as unknown as ProviderClass)(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'reports:read reports:write',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  })
  const server = provider.listen(port)
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  return server
}

/** A client-credentials access token for `RESOURCE` (RFC 6749 §4.4, RFC 8707 §2). */
export async function clientCredentialsToken(issuer: string, scope: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: RESOURCE }),
  })
  if (response.status !== 200)
    throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`)
  const body = (await response.json()) as { access_token: string; token_type: string }
  return body.access_token
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
