import { type ResponseBody, type ResponseConstructor, readState, writeState } from './context.js'

export type { ResponseConstructor } from './context.js'

/**
 * Make Covet build every response to `request` with `ResponseCtor` instead of the global
 * `Response`. The Node adapter calls it per request with `@whatwg-node/server`'s own `Response`,
 * which that server sends several times faster than a foreign one.
 *
 * @example
 * ```ts
 * setResponseConstructor(request, fetchAPI.Response)
 * ```
 */
export function setResponseConstructor(request: Request, ResponseCtor: ResponseConstructor): void {
  writeState(request).Response = ResponseCtor
}

/** Build a response to `request`: every response Covet builds goes through here. */
export function createResponse(request: Request, body: ResponseBody, init: ResponseInit): Response {
  const Ctor = readState(request)?.Response ?? Response
  return new Ctor(body, init)
}
