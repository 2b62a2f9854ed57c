import { describe, expect, it } from 'vitest'
import { hashClientSecret } from './hash.js'
import { createClientRegistry } from './registry.js'

describe('createClientRegistry', () => {
  it('authenticates a client configured with a pre-hashed secret and one with a plain secret', async () => {
    const secretHash = await hashClientSecret('hashed-secret', { iterations: 1000 })
    const registry = createClientRegistry(
      [
        { clientId: 'a', secretHash, grantTypes: ['client_credentials'], scopes: ['read'] },
        { clientId: 'b', secret: 'plain-secret', grantTypes: ['password', 'refresh_token'] },
      ],
      { iterations: 1000 },
    )
    expect(await registry.authenticate('a', 'hashed-secret')).toMatchObject({
      clientId: 'a',
      scopes: new Set(['read']),
    })
    expect(await registry.authenticate('b', 'plain-secret')).toMatchObject({ clientId: 'b' })
    expect(await registry.authenticate('a', 'plain-secret')).toBeUndefined()
    expect(await registry.authenticate('nobody', 'plain-secret')).toBeUndefined()
    expect(registry.grantTypes).toEqual(new Set(['client_credentials', 'password', 'refresh_token']))
    expect(registry.scopes).toEqual(new Set(['read']))
  })

  for (const rememberVerified of [true, false]) {
    it(`still refuses wrong and other clients' secrets after a success (rememberVerified: ${rememberVerified})`, async () => {
      const registry = createClientRegistry(
        [
          { clientId: 'a', secret: 'secret-a', grantTypes: ['client_credentials'] },
          { clientId: 'b', secret: 'secret-b', grantTypes: ['client_credentials'] },
        ],
        { iterations: 1000, rememberVerified },
      )
      for (let round = 0; round < 2; round++) {
        expect(await registry.authenticate('a', 'secret-a')).toMatchObject({ clientId: 'a' })
        expect(await registry.authenticate('a', 'secret-b')).toBeUndefined()
        expect(await registry.authenticate('b', 'secret-a')).toBeUndefined()
        expect(await registry.authenticate('a', 'secret-a ')).toBeUndefined()
        expect(await registry.authenticate('c', 'secret-a')).toBeUndefined()
      }
    })
  }

  it('does not keep a plain secret in the client it hands out', async () => {
    const registry = createClientRegistry(
      [{ clientId: 'b', secret: 'plain-secret', grantTypes: ['client_credentials'] }],
      {
        iterations: 1000,
      },
    )
    const client = await registry.authenticate('b', 'plain-secret')
    expect(JSON.stringify(client)).not.toContain('plain-secret')
  })

  const bad: Array<[string, unknown, string]> = [
    [
      'a duplicate id',
      [
        { clientId: 'a', secret: 'x', grantTypes: ['password'] },
        { clientId: 'a', secret: 'y', grantTypes: ['password'] },
      ],
      'clients[1].clientId',
    ],
    [
      'a hash not made by hashClientSecret',
      [{ clientId: 'a', secretHash: 'plain', grantTypes: ['password'] }],
      'clients[0].secretHash',
    ],
    [
      'an unknown grant',
      [{ clientId: 'a', secret: 'x', grantTypes: ['implicit'] }],
      'clients[0].grantTypes[0]',
    ],
    ['no grant', [{ clientId: 'a', secret: 'x', grantTypes: [] }], 'clients[0].grantTypes'],
    [
      'a malformed scope',
      [{ clientId: 'a', secret: 'x', grantTypes: ['password'], scopes: ['a b'] }],
      'clients[0].scopes[0]',
    ],
    [
      'default scopes beyond its scopes',
      [{ clientId: 'a', secret: 'x', grantTypes: ['password'], defaultScopes: ['x'] }],
      'clients[0]',
    ],
    [
      'an unknown member',
      [{ clientId: 'a', secret: 'x', grantTypes: ['password'], secrt: 'typo' }],
      'clients[0].secrt',
    ],
  ]
  for (const [what, clients, field] of bad) {
    it(`refuses ${what} with ConfigError naming ${field}`, () => {
      expect(() => createClientRegistry(clients as never)).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG', field }),
      )
    })
  }

  it('never puts a secret in a configuration error', () => {
    try {
      createClientRegistry([{ clientId: 'a', secret: 'very-secret-value', grantTypes: ['nope' as never] }])
      expect.unreachable()
    } catch (error) {
      expect((error as Error).message).not.toContain('very-secret-value')
    }
  })
})
