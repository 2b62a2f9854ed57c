import { describe, expectTypeOf, it } from 'vitest'
import type { VerifiedToken } from '../types.js'
import type { ClaimMapping } from './claim-mapping.js'
import type { IssuerConfig } from './options.js'

describe('issuers, as TypeScript sees them', () => {
  it('needs an issuer and an audience (or false) in every entry', () => {
    expectTypeOf<{ issuer: string; audience: false }>().toMatchTypeOf<IssuerConfig>()
    expectTypeOf<{ issuer: string; audience: string[] }>().toMatchTypeOf<IssuerConfig>()
    expectTypeOf<{ issuer: string }>().not.toMatchTypeOf<IssuerConfig>()
  })

  it('maps rights by a path, a dotted string or a function of the claims', () => {
    expectTypeOf<['realm_access', 'roles']>().toMatchTypeOf<ClaimMapping>()
    expectTypeOf<'realm_access.roles'>().toMatchTypeOf<ClaimMapping>()
    // The claims are typed: a function reads them without casts where JwtClaims names them.
    const byFunction: ClaimMapping = (claims) => (claims.sub === 'service' ? ['machine'] : claims.roles)
    expectTypeOf(byFunction).toBeFunction()
    expectTypeOf<{ roles: 42 }>().not.toMatchTypeOf<Pick<IssuerConfig, 'roles'>>()
  })

  it('gives the verified identity its issuer, and a jti that another issuer may leave out', () => {
    expectTypeOf<VerifiedToken['issuer']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<VerifiedToken['jti']>().toEqualTypeOf<string | undefined>()
  })
})
