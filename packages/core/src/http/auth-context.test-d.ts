import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import type { JwtAuth, VerifiedToken } from '../types.js'
import { getAuth } from './auth-context.js'
import { withJwtAuth } from './with-jwt-auth.js'

const claims = v.object({ tenant: v.string(), level: v.number() })

describe('getAuth types', () => {
  it('types the claims from the auth instance claims schema', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'x'.repeat(32), claims })
    const who = getAuth(new Request('https://api.test/'), auth)
    expectTypeOf(who).toEqualTypeOf<VerifiedToken<{ tenant: string; level: number }> | undefined>()
    expectTypeOf(who!.claims.tenant).toEqualTypeOf<string>()
    expectTypeOf(who!.claims.level).toEqualTypeOf<number>()
    expectTypeOf(who!.claims.sub).toEqualTypeOf<string>()
  })

  it('returns untyped custom claims without an auth instance', () => {
    const who = getAuth(new Request('https://api.test/'))
    expectTypeOf(who).toEqualTypeOf<VerifiedToken | undefined>()
    expectTypeOf(who!.claims.tenant).toEqualTypeOf<unknown>()
    expectTypeOf(who!.subject).toEqualTypeOf<string>()
  })
})

describe('one name for each thing', () => {
  it('reads an identity with getAuth only: the instance has no getAuth', () => {
    expectTypeOf<JwtAuth>().not.toHaveProperty('getAuth')
  })

  it('names a verified identity VerifiedToken only', () => {
    // @ts-expect-error AuthInfo was another name for VerifiedToken
    expectTypeOf<import('../index.js').AuthInfo>().toBeObject()
  })
})

describe('withJwtAuth types', () => {
  it('keeps the handler signature, extra arguments included', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'x'.repeat(32) })
    const handler = (_request: Request, _context: { params: Promise<{ id: string }> }) => new Response()
    const wrapped = withJwtAuth(handler, { auth })
    expectTypeOf(wrapped).parameters.toEqualTypeOf<[Request, { params: Promise<{ id: string }> }]>()
    // The same signature as any Fetch handler (DESIGN.md): a cached token is answered without a promise.
    expectTypeOf(wrapped).returns.toEqualTypeOf<Response | Promise<Response>>()
    expectTypeOf(wrapped).toExtend<
      (request: Request, context: { params: Promise<{ id: string }> }) => Response | Promise<Response>
    >()
  })

  it('refuses options of the wrong shape', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'x'.repeat(32) })
    // @ts-expect-error exemptPaths is a list of patterns
    withJwtAuth(() => new Response(), { auth, exemptPaths: '/login' })
  })

  it('leaves failing open to createJwtAuth', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'x'.repeat(32), failOpen: true })
    // @ts-expect-error failOpen is chosen once, by createJwtAuth, which checks revocation
    withJwtAuth(() => new Response(), { auth, failOpen: true })
  })
})
