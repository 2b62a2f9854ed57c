import { BodyTooLargeError, InvalidArgumentError } from '../errors.js'

/** The default limit of `readBoundedText`: 16 KiB, far above any form an OAuth endpoint reads. */
export const DEFAULT_BODY_LIMIT = 16 * 1024

/** Options of `readBoundedText`. */
export interface BodyLimitOptions {
  /** The largest body accepted, in bytes. Default `DEFAULT_BODY_LIMIT` (16 KiB). */
  readonly limit?: number
}

/**
 * Reads a request body as UTF-8 text, never more than `limit` bytes of it. A `Content-Length`
 * over the limit is refused before anything is read; a body without one (chunked) is read chunk by
 * chunk and cancelled as soon as it passes the limit, so at most the limit and one chunk are ever
 * held. Either way the answer is `BodyTooLargeError` (`ERR_BODY_TOO_LARGE`, HTTP 413), which
 * `respondWithError` turns into a problem+json answer. A request without a body reads as `''`.
 *
 * @example
 * ```ts
 * const form = new URLSearchParams(await readBoundedText(request, { limit: 4096 }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14
 */
export async function readBoundedText(request: Request, options: BodyLimitOptions = {}): Promise<string> {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidArgumentError('limit must be a positive integer number of bytes')
  }
  const body = request.body
  if (body === null) return ''
  // Cancelled through a reader, like a body cut short below: on Node, cancelling the stream itself
  // destroys the connection before the answer can be written.
  const reader = body.getReader()
  // RFC 9110 §8.6: the declared length is known before the content: refuse without reading it.
  if (declaredLength(request) > limit) {
    await reader.cancel().catch(() => {})
    throw new BodyTooLargeError(limit)
  }
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLargeError(limit)
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}

/** `Content-Length` as a number; 0 when absent or not a plain decimal (the stream is bounded anyway). */
function declaredLength(request: Request): number {
  const value = request.headers.get('content-length')
  return value !== null && /^\d{1,16}$/.test(value) ? Number(value) : 0
}
