import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { createJwtAuth } from './create-jwt-auth.js'
import { isScope, isScopeToken } from './lib/scope.js'
import { type Duration, milliseconds, parseOptions, type seconds } from './options.js'

describe('@covet/core/options', () => {
  it('types parseOptions with the output of its schema', () => {
    const schema = v.object({ port: v.optional(v.number(), 0), timeout: milliseconds({ max: '1m' }) })
    expectTypeOf(parseOptions(schema, {})).toEqualTypeOf<{ port: number; timeout: number }>()
  })

  it('takes a Duration into milliseconds() and seconds() and gives numbers', () => {
    expectTypeOf<v.InferInput<ReturnType<typeof milliseconds>>>().toEqualTypeOf<Duration>()
    expectTypeOf<v.InferOutput<ReturnType<typeof milliseconds>>>().toEqualTypeOf<number>()
    expectTypeOf<v.InferOutput<ReturnType<typeof seconds>>>().toEqualTypeOf<number>()
  })
})

describe('Duration', () => {
  it('is a number of seconds or a string with its unit, milliseconds included', () => {
    expectTypeOf<900>().toExtend<Duration>()
    expectTypeOf<'250ms'>().toExtend<Duration>()
    expectTypeOf<'15m'>().toExtend<Duration>()
    expectTypeOf<'15 minutes'>().not.toExtend<Duration>()
  })

  it('is what createJwtAuth takes for the remote key set timeout, which has no …Ms twin', () => {
    void createJwtAuth({ jwksUri: 'https://issuer.test/jwks', audience: 'api', jwks: { timeout: '250ms' } })
    // @ts-expect-error jwks.timeoutMs was renamed jwks.timeout (a Duration)
    void createJwtAuth({ jwksUri: 'https://issuer.test/jwks', audience: 'api', jwks: { timeoutMs: 250 } })
  })
})

describe('scope syntax', () => {
  it('checks strings', () => {
    expectTypeOf(isScopeToken).toEqualTypeOf<(token: string) => boolean>()
    expectTypeOf(isScope).toEqualTypeOf<(scope: string) => boolean>()
  })
})
