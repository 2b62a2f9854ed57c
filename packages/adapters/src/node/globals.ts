/**
 * srvx's `Request` and `Response` as the globals. On Node, `new Response(…)` and `Response.json(…)`
 * build undici's objects, each with a `ReadableStream` for its body: on Node 20 that stream costs
 * more than the rest of a small response, and the server must then read the body back through it.
 * srvx's `Response` keeps the body as given and builds undici's only when something asks for a
 * stream; srvx's `Request` lets `new Request(request)` copy the adapter's lightweight requests.
 * @see https://srvx.h3.dev/guide/node
 */
import { FastResponse, patchGlobalRequest } from 'srvx/node'

/** Whether the global `Response` already is srvx's (this adapter, or another srvx user, installed it). */
export function globalResponseIsFast(): boolean {
  return globalThis.Response === (FastResponse as unknown)
}

/**
 * Install srvx's `Request` and `Response` as the globals, once. Both keep `instanceof` working both
 * ways: undici's objects (from `fetch`) are instances of the new globals, and srvx's of undici's.
 */
export function installFastGlobals(): void {
  patchGlobalRequest()
  if (!globalResponseIsFast()) {
    Object.defineProperty(globalThis, 'Response', {
      value: FastResponse,
      writable: true,
      configurable: true,
      enumerable: false,
    })
  }
}
