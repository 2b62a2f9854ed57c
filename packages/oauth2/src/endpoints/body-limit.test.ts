import { describe, expect, it } from 'vitest'
import { useFormEndpoints } from '../test-support/endpoints.js'
import { basic, ISSUER, read, SECRETS } from '../test-support/fixtures.js'

// Every endpoint that reads a body reads at most 16 KiB of it (RFC 9110 §15.5.14), with or without Content-Length.
const LIMIT = 16 * 1024
const CHUNK = 1024
const setup = useFormEndpoints()

const headers = (client: readonly [string, string]) => ({
  'content-type': 'application/x-www-form-urlencoded',
  authorization: basic(...client),
})

/** A form body that never ends (`a=aaaa…`), produced on demand in 1 KiB chunks; it counts what it produced. */
function endlessForm() {
  const state = { produced: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.produced += CHUNK
        const chunk = new Uint8Array(CHUNK).fill(0x61)
        if (state.produced === CHUNK) chunk.set([0x61, 0x3d])
        controller.enqueue(chunk)
      },
      cancel() {
        state.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, state }
}

async function expectTooLarge(response: Response) {
  expect(await read(response)).toEqual({
    status: 413,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: {
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: `The request body is larger than ${LIMIT} bytes`,
      code: 'ERR_BODY_TOO_LARGE',
    },
  })
}

const cases = [
  ['token', 'token', ['web', SECRETS.web]],
  ['revocation', 'revoke', ['web', SECRETS.web]],
  ['introspection', 'introspect', ['rs', SECRETS.rs]],
] as const

describe.each(cases)('the %s endpoint', (_name, endpoint, client) => {
  it('answers 413 to a Content-Length over 16 KiB without reading the body', async () => {
    const { stream, state } = endlessForm()
    const request = new Request(`${ISSUER}/oauth/${endpoint}`, {
      method: 'POST',
      headers: { ...headers(client), 'content-length': String(LIMIT + 1) },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    await expectTooLarge(await setup.endpoints[endpoint](request))
    expect(state).toEqual({ produced: 0, cancelled: true })
  })

  it('answers 413 to a body without Content-Length (chunked) once it passes 16 KiB, and stops reading it', async () => {
    const { stream, state } = endlessForm()
    const request = new Request(`${ISSUER}/oauth/${endpoint}`, {
      method: 'POST',
      headers: headers(client),
      body: stream,
      duplex: 'half',
    } as RequestInit)
    await expectTooLarge(await setup.endpoints[endpoint](request))
    expect(state).toEqual({ produced: LIMIT + CHUNK, cancelled: true })
  })
})

it('still reads a form of exactly 16 KiB', async () => {
  const form = new URLSearchParams({ grant_type: 'client_credentials' }).toString()
  const body = `${form}&pad=${'x'.repeat(LIMIT - form.length - 5)}`
  expect(new TextEncoder().encode(body).byteLength).toBe(LIMIT)
  const request = new Request(`${ISSUER}/oauth/token`, {
    method: 'POST',
    headers: headers(['batch', SECRETS.batch]),
    body,
  })
  expect((await setup.endpoints.token(request)).status).toBe(200)
})
