import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { createJwtAuth } from './create-jwt-auth.js'
import { getAuth } from './http/auth-context.js'
import type { JwtAuth, VerifiedToken } from './types.js'

describe('claims typed by the configured schema', () => {
  it('types verifyToken’s claims with the schema output', async () => {
    const auth = await createJwtAuth({ claims: v.object({ tenant: v.string() }) })
    const verified = await auth.verifyToken('token')
    expectTypeOf(verified.claims.tenant).toEqualTypeOf<string>()
    expectTypeOf(verified.claims.sub).toEqualTypeOf<string>()
    expectTypeOf(auth).toEqualTypeOf<JwtAuth<{ tenant: string }>>()
  })

  it('types getAuth with the same claims', async () => {
    const auth = await createJwtAuth({ claims: v.object({ tenant: v.string(), seats: v.number() }) })
    const who = getAuth(new Request('https://api.test/'), auth)
    expectTypeOf(who).toEqualTypeOf<VerifiedToken<{ tenant: string; seats: number }> | undefined>()
    expectTypeOf(who!.claims.seats).toEqualTypeOf<number>()
  })

  it('leaves custom claims unknown without a schema', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256' })
    const verified = await auth.verifyToken('token')
    expectTypeOf(verified).toEqualTypeOf<VerifiedToken<Record<never, never>>>()
    expectTypeOf(verified.claims.tenant).toEqualTypeOf<unknown>()
  })

  it('refuses an unknown algorithm at compile time', () => {
    // @ts-expect-error: 'none' is not an Algorithm
    void createJwtAuth({ algorithm: 'none' })
  })
})
