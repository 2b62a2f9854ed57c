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

/**
 * The state rides on the request itself, under a symbol only this module holds: an own property
 * is cheaper to add and to collect than a WeakMap entry. A request that takes no new property
 * (frozen, or a proxy that refuses) falls back to the WeakMap; either way the state lives exactly
 * as long as the request.
 */
const STATE = Symbol('covet.requestState')
const fallback = new WeakMap<Request, RequestState>()
/** Whether any request ever needed the WeakMap: until then no lookup touches it. */
let fallbackUsed = false

type WithState = Request & { [STATE]?: RequestState }

/** The state of `request`, if Covet has seen it. */
export function readState(request: Request): RequestState | undefined {
  const state = (request as WithState)[STATE]
  return state !== undefined || !fallbackUsed ? state : fallback.get(request)
}

/** The state of `request`, created on first use. */
export function writeState(request: Request): RequestState {
  let state = readState(request)
  if (state === undefined) {
    state = {}
    try {
      ;(request as WithState)[STATE] = state
    } catch {
      // A frozen request, or a proxy whose `set` refuses: strict mode throws.
    }
    // A proxy may also accept the write and keep nothing.
    if ((request as WithState)[STATE] !== state) {
      fallbackUsed = true
      fallback.set(request, state)
    }
  }
  return state
}
