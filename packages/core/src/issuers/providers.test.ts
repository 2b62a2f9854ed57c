import { afterAll, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { getAuth } from '../http/auth-context.js'
import { withJwtAuth } from '../http/with-jwt-auth.js'
import { startTestIssuer, type TestIssuer } from '../test-support/issuer-server.js'
import { forge, hmacKey } from '../test-support/jws.js'
import { PROVIDERS, type Provider } from '../test-support/provider-tokens.js'

// The token shapes of the major providers, from their public documentation, minted by a local
// issuer: each accepted with the configuration docs/providers/<name>.md shows, with the rights
// RBAC guards then see, and each provider's ID token refused. Real issuer URLs become the local
// server's (same paths); everything else is as documented.
const now = Math.floor(Date.now() / 1000)
const servers: TestIssuer[] = []
afterAll(() => Promise.all(servers.map((server) => server.close())))

async function mint(
  provider: Provider,
  server: TestIssuer,
  header: Record<string, unknown>,
  payload: object,
) {
  if (provider.secret === undefined) return server.sign({ ...payload }, header)
  return forge(await hmacKey(provider.secret, 'HS256'), 'HS256', { alg: 'HS256', ...header }, payload)
}

for (const [name, provider] of Object.entries(PROVIDERS)) {
  describe(`${name} (docs/providers/${name}.md)`, () => {
    const setup = async () => {
      const server = await startTestIssuer({ path: provider.path })
      servers.push(server)
      const auth = await createJwtAuth({ issuers: [provider.config(server.issuer)] })
      return { server, auth }
    }

    it('accepts its access token and hands the rights its docs page lists to the handler', async () => {
      const { server, auth } = await setup()
      const { header, payload } = provider.access(server.issuer)
      const handler = withJwtAuth(
        (request) => {
          const { subject, issuer, roles, permissions, scopes } = getAuth(request)!
          return Response.json({ subject, issuer, roles, permissions, scopes })
        },
        { auth },
      )
      const token = await mint(provider, server, header, payload)
      const response = await handler(
        new Request('https://api.test/orders', { headers: { authorization: `Bearer ${token}` } }),
      )
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({
        subject: payload.sub,
        issuer: server.issuer,
        ...provider.rights,
      })
    })

    it('refuses its ID token', async () => {
      const { server, auth } = await setup()
      const idToken = await mint(provider, server, { typ: 'JWT' }, provider.idToken(server.issuer))
      await expect(auth.verifyToken(idToken)).rejects.toMatchObject({
        ...provider.idTokenRefusal,
        status: 401,
      })
    })
  })
}

describe('what each configuration still refuses', () => {
  it("Cognito: another app client's access token", async () => {
    const server = await startTestIssuer({ path: PROVIDERS.cognito!.path })
    servers.push(server)
    const auth = await createJwtAuth({ issuers: [PROVIDERS.cognito!.config(server.issuer)] })
    const { payload } = PROVIDERS.cognito!.access(server.issuer)
    const token = await server.sign({ ...payload, client_id: 'another-app-client' })
    await expect(auth.verifyToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'claims',
    })
  })

  it('Clerk: a session token made for another origin', async () => {
    const server = await startTestIssuer()
    servers.push(server)
    const auth = await createJwtAuth({ issuers: [PROVIDERS.clerk!.config(server.issuer)] })
    const { header, payload } = PROVIDERS.clerk!.access(server.issuer)
    const token = await server.sign({ ...payload, azp: 'https://evil.example' }, header)
    await expect(auth.verifyToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'claims',
    })
  })

  it("Supabase: the project's anon key, which is no user's token", async () => {
    const provider = PROVIDERS.supabase!
    const auth = await createJwtAuth({
      issuers: [provider.config('https://abcdefghijklmnop.supabase.co/auth/v1')],
    })
    const anonKey = await forge(
      await hmacKey(provider.secret!, 'HS256'),
      'HS256',
      { alg: 'HS256', typ: 'JWT' },
      { iss: 'supabase', ref: 'abcdefghijklmnop', role: 'anon', iat: now, exp: now + 315_360_000 },
    )
    // It has no aud (nor this iss, nor a sub): jose stops at the audience.
    await expect(auth.verifyToken(anonKey)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'audience',
    })
  })
})
