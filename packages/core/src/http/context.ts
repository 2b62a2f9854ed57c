import type { AuthInfo } from '../types.js'
import type { ErrorAnswerOptions } from './error-options.js'

/** A constructor that builds a `Response`, such as the global one or a server's own. */
export type ResponseConstructor = new (body?: BodyInit | null, init?: ResponseInit) => Response

/** What Covet remembers about one request while it is being handled. */
export interface RequestState {
  /** The verified identity, when there is one. */
  auth?: AuthInfo<object> | undefined
  /** How the `withJwtAuth` that wrapped this request answers errors. */
  errors?: ErrorAnswerOptions | undefined
  /** The `Response` constructor to answer this request with. */
  Response?: ResponseConstructor | undefined
}

// Keyed by the Request object itself: the state lives exactly as long as the request.
const states = new WeakMap<Request, RequestState>()

/** The state of `request`, if Covet has seen it. */
export function readState(request: Request): RequestState | undefined {
  return states.get(request)
}

/** The state of `request`, created on first use. */
export function writeState(request: Request): RequestState {
  let state = states.get(request)
  if (state === undefined) {
    state = {}
    states.set(request, state)
  }
  return state
}
