import type { Duration } from '@covet/core'
import { describe, expectTypeOf, it } from 'vitest'
import type { AuthorizationEndpointOptions } from '../authorize/endpoint.js'
import type { ClientEndpointOptions } from './client-endpoint.js'
import type { JwksHandlerOptions } from './jwks.js'
import type { TokenEndpointOptions } from './token.js'

type Observer = ((error: unknown) => void) | undefined

describe('endpoint options', () => {
  it('call the observer of unexpected failures reportError, never onError', () => {
    expectTypeOf<TokenEndpointOptions['reportError']>().toEqualTypeOf<Observer>()
    expectTypeOf<ClientEndpointOptions['reportError']>().toEqualTypeOf<Observer>()
    expectTypeOf<AuthorizationEndpointOptions['reportError']>().toEqualTypeOf<Observer>()
    expectTypeOf<TokenEndpointOptions>().not.toHaveProperty('onError')
    expectTypeOf<ClientEndpointOptions>().not.toHaveProperty('onError')
    expectTypeOf<AuthorizationEndpointOptions>().not.toHaveProperty('onError')
  })

  it("take jwksHandler's max-age as a Duration", () => {
    expectTypeOf<JwksHandlerOptions['maxAge']>().toEqualTypeOf<Duration | undefined>()
  })
})
