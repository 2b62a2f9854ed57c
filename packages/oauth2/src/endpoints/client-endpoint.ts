import type { JwtAuth, VerifiedToken } from '@covet/core'
import { isCovetError } from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import { authenticateClient } from '../clients/authenticate.js'
import { readClientCredentials } from '../clients/credentials.js'
import type { ClientConfig, ClientRegistry, RegisteredClient } from '../clients/types.js'
import { invalidRequest } from '../errors.js'
import { failureResponse } from '../lib/failure.js'
import { readForm } from '../lib/form.js'
import { methodNotAllowed } from '../lib/responses.js'
import { AuthSchema, ClientsSchema, RENAMED, RealmSchema, ReportErrorSchema, toRegistry } from './options.js'

/** Options of the revocation and introspection endpoints. */
export interface ClientEndpointOptions {
  auth: JwtAuth<object>
  /** The clients, or a registry shared with the token endpoint. */
  clients: ClientRegistry | readonly ClientConfig[]
  /** The realm of the Basic challenge sent with `invalid_client`. Default `'oauth2'`. */
  realm?: string
  /** Told of unexpected failures (answered 500 or 503 without details); it only observes. */
  reportError?: (error: unknown) => void
}

const OptionsSchema = v.object({
  auth: AuthSchema,
  clients: ClientsSchema,
  realm: v.optional(RealmSchema, 'oauth2'),
  reportError: v.optional(ReportErrorSchema),
})

/** What an endpoint does once the client is authenticated and `token` is read. */
export type TokenAction = (
  auth: JwtAuth<object>,
  client: RegisteredClient,
  token: string,
  form: ReadonlyMap<string, string>,
) => Promise<Response>

/**
 * The shared shape of RFC 7009 and RFC 7662 endpoints: POST, form body, client authentication
 * required, a `token` parameter, errors as RFC 6749 §5.2.
 */
export function createClientEndpoint(
  options: ClientEndpointOptions,
  action: TokenAction,
): (request: Request) => Promise<Response> {
  const config = parseOptions(OptionsSchema, options, { renamed: RENAMED })
  const registry = toRegistry(config.clients)
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return methodNotAllowed('POST')
    try {
      const form = await readForm(request)
      const credentials = readClientCredentials(request, form)
      const client = await authenticateClient(credentials, registry, config.realm)
      const token = form.get('token')
      if (token === undefined) throw invalidRequest('token is required')
      return await action(config.auth, client, token, form)
    } catch (error) {
      return failureResponse(request, error, config.reportError)
    }
  }
}

/**
 * The token, verified; `undefined` when it is not one this server would accept now (unknown,
 * malformed, expired, revoked). A store outage still throws: that is not the token's fault.
 */
export async function verifyAny(
  auth: JwtAuth<object>,
  token: string,
): Promise<VerifiedToken<object> | undefined> {
  try {
    return await auth.verifyToken(token, { type: 'any' })
  } catch (error) {
    if (isCovetError(error) && error.status === 401) return undefined
    throw error
  }
}
