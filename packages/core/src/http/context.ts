import { IncompatibleCoreError } from '../errors.js'
import type { VerifiedToken } from '../types.js'
import type { ErrorAnswerOptions } from './error-options.js'

/** What a `Response` is built from; spelled through `Response` so that no DOM lib is needed. */
export type ResponseBody = ConstructorParameters<typeof Response>[0]

/** A constructor that builds a `Response`, such as the global one or a server's own. */
export type ResponseConstructor = new (body?: ResponseBody, init?: ResponseInit) => Response

/** What Covet remembers about one request while it is being handled. */
export interface RequestState {
  /** The shape of this object: copies of `@covet/core` share states of their own protocol only. */
  readonly protocol: number
  /** The verified identity, when there is one. */
  auth?: VerifiedToken<object> | undefined
  /** How the `withJwtAuth` that wrapped this request answers errors. */
  errors?: ErrorAnswerOptions | undefined
  /** The `Response` constructor to answer this request with. */
  Response?: ResponseConstructor | undefined
}

/**
 * Bump when `RequestState` changes in a way an older copy would misread (a field removed, renamed
 * or retyped); adding an optional field keeps it.
 */
const PROTOCOL = 1

/**
 * The state rides on the request itself: an own property is cheaper to add and to collect than a
 * WeakMap entry. The key is registered (`Symbol.for`), so that every copy of `@covet/core` in the
 * process (npm may nest one under a dependant) reads the state another wrote: `getAuth` from the
 * app's copy sees what `withJwtAuth` from an adapter's copy verified. A request that takes no new
 * property (frozen, or a proxy that refuses) falls back to a WeakMap, shared by those copies too;
 * either way the state lives exactly as long as the request.
 */
const STATE = Symbol.for('covet.requestState')

/** What the copies of one protocol share. This registry's shape never changes, whatever the protocol. */
interface Shared {
  readonly fallback: WeakMap<Request, RequestState>
  /** Whether any request ever needed the WeakMap: until then no lookup touches it. */
  fallbackUsed: boolean
}

const registry = globalThis as unknown as Record<symbol, Map<number, Shared> | undefined>
const COPIES = Symbol.for('covet.requestState.copies')
registry[COPIES] ??= new Map()
const copies = registry[COPIES]
const shared: Shared = copies.get(PROTOCOL) ?? { fallback: new WeakMap(), fallbackUsed: false }
copies.set(PROTOCOL, shared)

type WithState = Request & { [STATE]?: RequestState }

function incompatible(other: number): IncompatibleCoreError {
  return new IncompatibleCoreError([...new Set([PROTOCOL, other, ...copies.keys()])].sort((a, b) => a - b))
}

/**
 * Throws `IncompatibleCoreError` when a copy of `@covet/core` with another request-state protocol
 * is loaded: `withJwtAuth` calls it when it wraps a handler, so the mismatch shows at start-up.
 */
export function assertOneProtocol(): void {
  for (const protocol of copies.keys()) if (protocol !== PROTOCOL) throw incompatible(protocol)
}

/** The state of `request`, if Covet has seen it. */
export function readState(request: Request): RequestState | undefined {
  const state =
    (request as WithState)[STATE] ?? (shared.fallbackUsed ? shared.fallback.get(request) : undefined)
  if (state !== undefined && state.protocol !== PROTOCOL) throw incompatible(state.protocol)
  return state
}

/** The state of `request`, created on first use. */
export function writeState(request: Request): RequestState {
  return readState(request) ?? attachState(request, { protocol: PROTOCOL })
}

/**
 * The state `withJwtAuth` leaves on a request it lets through: how it answers errors, and the
 * verified identity if any. A request that has none yet gets one object holding both at once.
 */
export function enterState(
  request: Request,
  errors: ErrorAnswerOptions,
  auth: VerifiedToken<object> | undefined,
): void {
  const state = readState(request)
  if (state === undefined) {
    attachState(request, { protocol: PROTOCOL, auth, errors, Response: undefined })
    return
  }
  state.errors = errors
  if (auth !== undefined) state.auth = auth
}

function attachState(request: Request, state: RequestState): RequestState {
  try {
    ;(request as WithState)[STATE] = state
  } catch {
    // A frozen request, or a proxy whose `set` refuses: strict mode throws.
  }
  // A proxy may also accept the write and keep nothing.
  if ((request as WithState)[STATE] !== state) {
    shared.fallbackUsed = true
    shared.fallback.set(request, state)
  }
  return state
}
