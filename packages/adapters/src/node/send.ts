/**
 * Writing a Fetch `Response` to Node's `ServerResponse`. A srvx `Response` (the global one unless
 * `overrideGlobalObjects: false`) whose body is already in memory is written with one `writeHead`
 * and one `end`, and Node's reason phrase, and so is one of `@whatwg-node/fetch` whose body is a
 * string or bytes; anything else (a stream, undici's `Response`) goes to srvx's
 * `sendNodeResponse`, which streams it.
 */
import type { ServerResponse } from 'node:http'
import { FastResponse, sendNodeResponse } from 'srvx/node'

type Prepared = ReturnType<InstanceType<typeof FastResponse>['_toNodeResponse']>

/**
 * Write `response` on `res`. Returns a promise only when the body is streamed; throws (or
 * rejects) when the response cannot be written, such as a header value with a newline.
 */
export function writeResponse(res: ServerResponse, response: Response): Promise<void> | undefined {
  const toNode = (response as Partial<InstanceType<typeof FastResponse>>)._toNodeResponse
  if (typeof toNode !== 'function') {
    const body = ponyfillBody(response)
    if (body === undefined) return sendNodeResponse(res, response)
    const headers: string[] = []
    let length = false
    for (const [name, value] of response.headers) {
      headers.push(name, value)
      if (name === 'content-length') length = true
    }
    if (!length) headers.push('content-length', String(Buffer.byteLength(body)))
    res.writeHead(response.status, response.statusText || undefined, headers)
    res.end(body)
    return undefined
  }
  // Hands over the parts the response was built from (srvx's own first step when it sends one).
  const prepared: Prepared = toNode.call(response)
  const { body } = prepared
  if (body === null || body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    // An empty reason phrase is Node's cue to send the standard one (srvx would send none).
    res.writeHead(prepared.status, prepared.statusText || undefined, prepared.headers)
    res.end(body)
    return undefined
  }
  return sendNodeResponse(res, rebuild(prepared))
}

/**
 * The body of a `@whatwg-node/fetch` `Response` built from a string or bytes, kept as given in
 * `bodyInit` (which `@whatwg-node/server` sends from too); `undefined` for any other response.
 */
function ponyfillBody(response: Response): string | Uint8Array | undefined {
  const { bodyInit, bodyUsed } = response as { bodyInit?: unknown; bodyUsed: boolean }
  if (bodyUsed) return undefined
  return typeof bodyInit === 'string' || bodyInit instanceof Uint8Array ? bodyInit : undefined
}

/** A srvx `Response` over prepared parts whose body is a stream, for srvx to pipe. */
function rebuild({ status, statusText, headers, body }: Prepared): Response {
  const pairs: [string, string][] = []
  for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i] as string, headers[i + 1] as string])
  return new FastResponse(body as ConstructorParameters<typeof FastResponse>[0], {
    status,
    statusText,
    headers: pairs,
  })
}
