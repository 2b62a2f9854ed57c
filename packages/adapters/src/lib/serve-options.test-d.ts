import { describe, expectTypeOf, it } from 'vitest'
import type { RouteHandlerOptions } from '../next/index.js'
import type { NodeHandlerOptions } from '../node/index.js'
import type { OnUnexpectedError } from './guard.js'
import type { ServeOptions } from './serve-options.js'

describe('the observer of escaped errors', () => {
  it('is reportError on serve, toNodeHandler and toRouteHandler', () => {
    expectTypeOf<ServeOptions['reportError']>().toEqualTypeOf<OnUnexpectedError | undefined>()
    expectTypeOf<NodeHandlerOptions['reportError']>().toEqualTypeOf<OnUnexpectedError | undefined>()
    expectTypeOf<RouteHandlerOptions['reportError']>().toEqualTypeOf<OnUnexpectedError | undefined>()
  })

  it('is no longer called onError, the name of the hook that replaces an answer', () => {
    expectTypeOf<ServeOptions>().not.toHaveProperty('onError')
    expectTypeOf<NodeHandlerOptions>().not.toHaveProperty('onError')
    expectTypeOf<RouteHandlerOptions>().not.toHaveProperty('onError')
  })
})
