import { afterEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { getAuth } from './auth-context.js'
import * as thisCopy from './context.js'
import { withJwtAuth } from './with-jwt-auth.js'

// A query string makes Vite load the module a second time: a second copy of @covet/core's state
// module, as when npm nests another @covet/core under a dependant.
const otherCopy: typeof thisCopy = await import(/* @vite-ignore */ `./context.js?copy=${'other'}`)

const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'http-layer-copies-secret-0123456789abcdef',
  issuer: 'https://issuer.test',
  clock: () => Date.UTC(2026, 0, 1, 12),
})
const identity = await auth.verifyToken((await auth.createTokenPair('alice')).accessToken)

const COPIES = Symbol.for('covet.requestState.copies')
const copies = (globalThis as unknown as Record<symbol, Map<number, unknown>>)[COPIES]!
afterEach(() => {
  copies.delete(2)
})

const INCOMPATIBLE = {
  code: 'ERR_INCOMPATIBLE_CORE',
  status: 500,
  message:
    'Two copies of @covet/core that keep request state differently are loaded (protocols 1 and 2), ' +
    'so one would not see the identity the other verified. Install a single @covet/core: ' +
    '`npm ls @covet/core` shows where the copies come from.',
}

describe('request state across copies of @covet/core', () => {
  it('is one state: what one copy writes, another copy of the same protocol reads', () => {
    const request = new Request('https://api.test/')
    thisCopy.writeState(request).auth = identity
    expect(otherCopy.readState(request)?.auth).toBe(identity)
    expect(otherCopy.writeState(request)).toBe(thisCopy.readState(request))
  })

  it('is one state for requests that take no property: the copies share one fallback map', () => {
    const request = Object.freeze(new Request('https://api.test/'))
    otherCopy.writeState(request).auth = identity
    expect(thisCopy.readState(request)?.auth).toBe(identity)
  })

  it('makes withJwtAuth throw ERR_INCOMPATIBLE_CORE at wrap time once a copy of another protocol is loaded', () => {
    copies.set(2, {})
    expect(() => withJwtAuth(() => new Response('ok'), { auth })).toThrow(
      expect.objectContaining(INCOMPATIBLE),
    )
  })

  it('makes getAuth throw ERR_INCOMPATIBLE_CORE for a request whose state another protocol wrote', () => {
    const request = new Request('https://api.test/')
    Object.defineProperty(request, Symbol.for('covet.requestState'), { value: { protocol: 2 } })
    expect(() => getAuth(request)).toThrow(expect.objectContaining(INCOMPATIBLE))
  })
})
