import type { JwtAuth } from '@covet/core'
import { createClientRegistry, createTokenEndpoint, type TokenEndpoint, type VerifyUser } from '@covet/oauth2'

/** A token endpoint with two clients and one user, alice, whose subject is not her username. */
export const CLIENT_SECRET = 'web-client-secret-0123456789'
export const PASSWORD = 'correct horse battery staple'

export const verifyUser: VerifyUser = async (username, password) =>
  username === 'alice' && password === PASSWORD ? { subject: 'user-7f3a', roles: ['admin'] } : null

export function tokenEndpointFor(auth: JwtAuth<object>): TokenEndpoint {
  const clients = createClientRegistry(
    [
      { clientId: 'web', secret: CLIENT_SECRET, grantTypes: ['password', 'refresh_token'], scopes: ['read'] },
      { clientId: 'batch', secret: `${CLIENT_SECRET}-batch`, grantTypes: ['client_credentials'] },
    ],
    { iterations: 1_000 },
  )
  return createTokenEndpoint({ auth, clients, verifyUser, clientLimiter: false })
}

export function tokenRequest(
  form: Record<string, string>,
  secret = CLIENT_SECRET,
  clientId = 'web',
): Request {
  return new Request('https://auth.covet.test/oauth/token', {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  })
}
