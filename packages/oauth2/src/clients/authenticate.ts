import { invalidClient } from '../errors.js'
import type { ClientCredentials } from './credentials.js'
import type { ClientRegistry, RegisteredClient } from './types.js'

/**
 * Authenticates a client (RFC 6749 §2.3, §3.2.1) from the credentials `readClientCredentials`
 * read, or throws `invalid_client` (401) for missing or wrong ones, alike.
 */
export async function authenticateClient(
  credentials: ClientCredentials | undefined,
  registry: ClientRegistry,
  realm: string,
): Promise<RegisteredClient> {
  if (credentials?.secret === undefined) throw invalidClient(realm)
  const client = await registry.authenticate(credentials.clientId, credentials.secret)
  if (client === undefined) throw invalidClient(realm)
  return client
}
