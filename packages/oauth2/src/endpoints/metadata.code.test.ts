import { describe, expect, it } from 'vitest'
import { createClientRegistry } from '../clients/registry.js'
import { CODE_CLIENTS } from '../test-support/code-flow.js'
import { createMetadataEndpoint } from './metadata.js'

const get = () => new Request('https://auth.example.test/.well-known/oauth-authorization-server')

describe('metadata with an authorization endpoint (RFC 8414 §2, RFC 7636 §6.2, RFC 9207 §3)', () => {
  for (const [what, clients] of [
    ['a client list', CODE_CLIENTS],
    ['a registry', createClientRegistry(CODE_CLIENTS, { iterations: 1_000 })],
  ] as const) {
    it(`adds the endpoint, response type code, S256 only, iss support, the grant and "none" (from ${what})`, async () => {
      const metadata = createMetadataEndpoint({
        issuer: 'https://auth.example.test',
        authorizationEndpoint: '/oauth/authorize',
        tokenEndpoint: '/oauth/token',
        clients,
      })
      expect(await metadata(get()).json()).toEqual({
        issuer: 'https://auth.example.test',
        authorization_endpoint: 'https://auth.example.test/oauth/authorize',
        token_endpoint: 'https://auth.example.test/oauth/token',
        scopes_supported: ['read', 'write'],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        grant_types_supported: ['authorization_code', 'password', 'client_credentials', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        dpop_signing_alg_values_supported: [
          'ES256',
          'ES384',
          'ES512',
          'EdDSA',
          'PS256',
          'PS384',
          'PS512',
          'RS256',
          'RS384',
          'RS512',
        ],
      })
    })
  }
})
