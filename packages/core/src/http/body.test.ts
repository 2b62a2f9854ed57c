import { describe, expect, it } from 'vitest'
import { BodyTooLargeError } from '../errors.js'
import { DEFAULT_BODY_LIMIT, readBoundedText } from './body.js'
import { respondWithError } from './respond.js'

const KIB = 1024
const encoder = new TextEncoder()

/** A body that never ends, made of `chunk`-byte pieces on demand; it counts what it produced. */
function endlessBody(chunk = KIB) {
  const state = { produced: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.produced += chunk
        controller.enqueue(new Uint8Array(chunk).fill(0x61))
      },
      cancel() {
        state.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, state }
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('https://api.test/form', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

const tooLarge = (limit: number) => ({
  code: 'ERR_BODY_TOO_LARGE',
  status: 413,
  limit,
  message: `The request body is larger than ${limit} bytes`,
})

describe('readBoundedText', () => {
  it('reads a body within the limit as UTF-8 text, 16 KiB by default', async () => {
    expect(DEFAULT_BODY_LIMIT).toBe(16 * KIB)
    await expect(readBoundedText(post('token=abc&hint=r%C3%A9'))).resolves.toBe('token=abc&hint=r%C3%A9')
    await expect(readBoundedText(post('x'.repeat(DEFAULT_BODY_LIMIT)))).resolves.toHaveLength(
      DEFAULT_BODY_LIMIT,
    )
  })

  it('answers an empty string for a request without a body', async () => {
    await expect(readBoundedText(new Request('https://api.test/'))).resolves.toBe('')
  })

  it('decodes a character split across two chunks', async () => {
    const bytes = encoder.encode('é€')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 1))
        controller.enqueue(bytes.slice(1, 4))
        controller.enqueue(bytes.slice(4))
        controller.close()
      },
    })
    await expect(readBoundedText(post(stream))).resolves.toBe('é€')
  })

  it('refuses one byte over the limit with 413 ERR_BODY_TOO_LARGE', async () => {
    await expect(readBoundedText(post('x'.repeat(101)), { limit: 100 })).rejects.toMatchObject(tooLarge(100))
    await expect(readBoundedText(post('x'.repeat(100)), { limit: 100 })).resolves.toHaveLength(100)
  })

  it('refuses a Content-Length over the limit before reading a byte, and cancels the body', async () => {
    const { stream, state } = endlessBody()
    const request = post(stream, { 'content-length': String(DEFAULT_BODY_LIMIT + 1) })
    await expect(readBoundedText(request)).rejects.toMatchObject(tooLarge(DEFAULT_BODY_LIMIT))
    expect(state).toEqual({ produced: 0, cancelled: true })
  })

  it('stops reading a body without Content-Length (chunked) at the limit and cancels it', async () => {
    const { stream, state } = endlessBody(KIB)
    await expect(readBoundedText(post(stream))).rejects.toMatchObject(tooLarge(DEFAULT_BODY_LIMIT))
    expect(state.cancelled).toBe(true)
    // The limit, and the one chunk that crossed it: never more is read or held.
    expect(state.produced).toBe(DEFAULT_BODY_LIMIT + KIB)
  })

  it('stops at the limit when Content-Length understates the body', async () => {
    const { stream, state } = endlessBody(4 * KIB)
    await expect(
      readBoundedText(post(stream, { 'content-length': '10' }), { limit: 8 * KIB }),
    ).rejects.toMatchObject(tooLarge(8 * KIB))
    expect(state).toEqual({ produced: 12 * KIB, cancelled: true })
  })

  it('refuses a limit that is not a positive integer', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(readBoundedText(post('a'), { limit })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      })
    }
  })

  it('is a CovetError that names no content of the body', () => {
    const error = new BodyTooLargeError(16)
    expect(error).toMatchObject({ name: 'BodyTooLargeError', code: 'ERR_BODY_TOO_LARGE', status: 413 })
  })
})

describe('the answer to a body over the limit', () => {
  it('is 413 problem+json without a Bearer challenge, naming the limit', async () => {
    const response = await respondWithError(post('x'), new BodyTooLargeError(16 * KIB))
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.has('www-authenticate')).toBe(false)
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: 'The request body is larger than 16384 bytes',
      code: 'ERR_BODY_TOO_LARGE',
    })
    const other = await respondWithError(post('x'), new BodyTooLargeError(100))
    expect(await other.json()).toMatchObject({ detail: 'The request body is larger than 100 bytes' })
  })
})
