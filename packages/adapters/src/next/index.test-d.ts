import { createJwtAuth, withJwtAuth } from '@covet/core'
import * as v from 'valibot'
import { expectTypeOf, test } from 'vitest'
import { createJwtProxy, getProxyAuth, toRouteHandler } from './index.js'

const auth = await createJwtAuth({ algorithm: 'HS256', claims: v.object({ tenant: v.string() }) })
type RouteContext = { params: Promise<{ id: string }> }

test("core's withJwtAuth and toRouteHandler keep a route handler's (request, { params }) signature", () => {
  const GET = toRouteHandler(
    withJwtAuth(async (_request: Request, _context: RouteContext) => new Response(), { auth }),
  )
  expectTypeOf(GET).parameters.toEqualTypeOf<[Request, RouteContext]>()
  expectTypeOf(GET).returns.toEqualTypeOf<Promise<Response>>()
})

test('the Next.js adapter has no withJwtAuth of its own', () => {
  // @ts-expect-error core's withJwtAuth keeps Next's signature; the adapter adds toRouteHandler
  expectTypeOf<typeof import('./index.js').withJwtAuth>().toBeFunction()
})

test('createJwtProxy returns a proxy function', () => {
  expectTypeOf(createJwtProxy({ auth })).toEqualTypeOf<(request: Request) => Promise<Response>>()
})

test('getProxyAuth types claims from the type argument and never exposes the token', async () => {
  const who = await getProxyAuth<{ tenant: string }>(new Request('http://x/'))
  expectTypeOf(who?.claims.tenant).toEqualTypeOf<string | undefined>()
  expectTypeOf<NonNullable<typeof who>>().not.toHaveProperty('token')
})
