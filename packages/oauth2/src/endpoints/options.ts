import type { AttemptLimiter, JwtAuth } from '@covet/core'
import * as v from 'valibot'
import { createClientRegistry } from '../clients/registry.js'
import type { ClientConfig, ClientRegistry } from '../clients/types.js'

const hasMethods = (value: unknown, methods: readonly string[]) =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')

export const AuthSchema = v.custom<JwtAuth<object>>(
  (value) =>
    hasMethods(value, ['createToken', 'createTokenPair', 'verifyToken', 'refreshAccessToken', 'revokeToken']),
  'must be the object createJwtAuth returns',
)

export const ClientsSchema = v.custom<ClientRegistry | readonly ClientConfig[]>(
  (value) =>
    Array.isArray(value) ||
    (hasMethods(value, ['authenticate']) &&
      hasMethods((value as ClientRegistry).grantTypes, ['has']) &&
      hasMethods((value as ClientRegistry).scopes, ['has'])),
  'must be an array of clients or a client registry',
)

export const LimiterSchema = v.custom<AttemptLimiter | false>(
  (value) => value === false || hasMethods(value, ['consume', 'refund', 'reset']),
  'must be an AttemptLimiter or false',
)

export const RealmSchema = v.pipe(
  v.string(),
  v.regex(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/, 'must be printable ASCII without quotes or backslashes'),
)

/** The hook told of unexpected failures; it observes, the client's answer stays Covet's. */
export const ReportErrorSchema = v.custom<(error: unknown) => void>(
  (value) => typeof value === 'function',
  'must be a function',
)

/** The option names of 0.1 that say something else now, refused by their new name. */
export const RENAMED = {
  onError: 'reportError (it only observes; onError in withJwtAuth replaces the answer)',
}

/** A registry as given, or one built from a list of clients (hashing plain secrets now). */
export function toRegistry(clients: ClientRegistry | readonly ClientConfig[]): ClientRegistry {
  return Array.isArray(clients) ? createClientRegistry(clients) : (clients as ClientRegistry)
}
