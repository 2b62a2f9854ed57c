import { invalidClient } from '../errors.js'
import type { ClientCredentials } from './credentials.js'
import type { ClientRegistry, RegisteredClient } from './types.js'

/**
 * Authenticates a client (RFC 6749 §2.3, §3.2.1) from the credentials `readClientCredentials`
 * read, or throws `invalid_client` (401) for missing or wrong ones, alike. A public client
 * (`tokenEndpointAuthMethod: 'none'`) identifies itself by `client_id` alone (RFC 6749 §3.2.1);
 * a secret sent for it is wrong, as is a confidential client's id sent without one.
 */
export async function authenticateClient(
  credentials: ClientCredentials | undefined,
  registry: ClientRegistry,
  realm: string,
): Promise<RegisteredClient> {
  if (credentials === undefined) throw invalidClient(realm)
  if (credentials.secret === undefined) {
    const client = await registry.find?.(credentials.clientId)
    if (client?.tokenEndpointAuthMethod !== 'none') throw invalidClient(realm)
    return client
  }
  const client = await registry.authenticate(credentials.clientId, credentials.secret)
  if (client === undefined) throw invalidClient(realm)
  return client
}
