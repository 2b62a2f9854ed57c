import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CLIENT,
  clientCredentialsToken,
  closeServer,
  type PrivateJwk,
  RESOURCE,
  signingKey,
  startProvider,
} from './test-support/oidc-provider.js'
import { freePort, type RuntimeName, type Started, start } from './test-support/runtimes.js'

// A real third-party authorization server (oidc-provider) issues RFC 9068 JWT access tokens for
// RESOURCE (RFC 8707); issuers-server.ts, on Node, Bun and Deno, discovers its keys from its issuer
// URL and verifies them through withJwtAuth, and picks up a key rotated at the provider while it runs.
const RUNTIMES: RuntimeName[] = ['node-issuers', 'bun-issuers', 'deno-issuers']

let port: number
let issuer: string
let provider: Server
let keys: PrivateJwk[]

beforeAll(async () => {
  port = await freePort()
  issuer = `http://127.0.0.1:${port}`
  keys = [await signingKey()]
  provider = await startProvider(port, keys)
})
afterAll(() => closeServer(provider))

/** The provider restarted on the same issuer URL with a new signing key first, the old one still published. */
async function rotateProviderKeys(): Promise<void> {
  await closeServer(provider)
  keys = [await signingKey(), ...keys]
  provider = await startProvider(port, keys)
}

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid

for (const runtime of RUNTIMES) {
  describe(`an oidc-provider's access tokens on ${runtime.replace('-issuers', '')}`, () => {
    let server: Started
    beforeAll(async () => {
      server = await start(runtime, { ISSUER: issuer, AUDIENCE: RESOURCE, JWKS_COOLDOWN: '0s' })
    })
    afterAll(() => server?.stop())

    const me = (token?: string) =>
      fetch(`${server.url}/me`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })

    it('verifies a client-credentials token, its keys discovered from the issuer URL', async () => {
      const token = await clientCredentialsToken(issuer, 'reports:read')
      const response = await me(token)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({
        subject: CLIENT.id,
        issuer,
        clientId: CLIENT.id,
        scopes: ['reports:read'],
        jti: expect.any(String),
        runtime: runtime.replace('-issuers', ''),
      })
    })

    it('answers no token with the bare challenge, and a tampered one with invalid_token', async () => {
      const none = await me()
      expect(none.status).toBe(401)
      // RFC 6750 §3.1: no error code without credentials; RFC 9449 §7.1: DPoP is offered too.
      expect(none.headers.get('www-authenticate')).toBe(
        'Bearer realm="issuers", DPoP realm="issuers", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
      )
      const token = await clientCredentialsToken(issuer, 'reports:write')
      const [header, payload] = token.split('.')
      const tampered = await me(`${header}.${payload}.${'A'.repeat(342)}`)
      expect(tampered.status).toBe(401)
      expect(tampered.headers.get('www-authenticate')).toBe(
        'Bearer realm="issuers", error="invalid_token", error_description="The access token is invalid"',
      )
    })

    it('picks up a key rotated at the provider without a restart', async () => {
      const before = await clientCredentialsToken(issuer, 'reports:read')
      expect((await me(before)).status).toBe(200)
      await rotateProviderKeys()
      const after = await clientCredentialsToken(issuer, 'reports:read')
      expect(kidOf(after)).not.toBe(kidOf(before))
      const response = await me(after)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ subject: CLIENT.id, issuer })
      // The old key is still published: tokens it signed stay good until they expire.
      expect((await me(before)).status).toBe(200)
    })
  })
}
