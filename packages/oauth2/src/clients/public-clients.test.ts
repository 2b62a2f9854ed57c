import { describe, expect, it } from 'vitest'
import { createClientRegistry } from './registry.js'

const spa = {
  clientId: 'spa',
  tokenEndpointAuthMethod: 'none' as const,
  grantTypes: ['authorization_code' as const, 'refresh_token' as const],
  redirectUris: ['https://app.example.test/cb'],
}

describe('public clients and redirect URIs in the registry', () => {
  it('finds a public client by id and never authenticates it with a secret', async () => {
    const registry = createClientRegistry([spa], { iterations: 1_000 })
    expect(await registry.find!('spa')).toMatchObject({
      clientId: 'spa',
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['https://app.example.test/cb'],
    })
    expect(await registry.find!('nobody')).toBeUndefined()
    expect(await registry.authenticate('spa', 'anything')).toBeUndefined()
    expect(registry.hasPublicClients).toBe(true)
  })

  const refused: Array<[string, object, string]> = [
    ['a public client with a secret', { ...spa, secret: 's' }, 'clients[0]'],
    ['a public client with client_credentials', { ...spa, grantTypes: ['client_credentials'] }, 'clients[0]'],
    [
      'a public client with password',
      { ...spa, grantTypes: ['authorization_code', 'password'] },
      'clients[0]',
    ],
    ['the code grant without redirect URIs', { ...spa, redirectUris: [] }, 'clients[0]'],
    [
      'a redirect URI with a fragment',
      { ...spa, redirectUris: ['https://app.example.test/cb#x'] },
      'clients[0].redirectUris[0]',
    ],
    [
      'an http redirect URI off loopback',
      { ...spa, redirectUris: ['http://app.example.test/cb'] },
      'clients[0].redirectUris[0]',
    ],
    ['a relative redirect URI', { ...spa, redirectUris: ['/cb'] }, 'clients[0].redirectUris[0]'],
    [
      'a javascript: redirect URI',
      { ...spa, redirectUris: ['javascript:alert(1)'] },
      'clients[0].redirectUris[0]',
    ],
  ]
  for (const [what, client, field] of refused) {
    it(`refuses ${what} with ConfigError naming ${field}`, () => {
      expect(() => createClientRegistry([client as never])).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG', field }),
      )
    })
  }

  it('accepts https, http on loopback and a private-use scheme with a dot (RFC 8252 §7.1)', () => {
    const uris = [
      'https://a.example/cb',
      'http://127.0.0.1/cb',
      'http://[::1]/cb',
      'http://localhost:3000/cb',
      'com.example.app:/oauth',
    ]
    expect(() => createClientRegistry([{ ...spa, redirectUris: uris }])).not.toThrow()
  })
})
