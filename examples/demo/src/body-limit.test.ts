import { createJwtAuth, type JwtAuth } from '@covet/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'

// The demo's routes that read a body read at most 16 KiB of it, with or without Content-Length;
// test-support/body-limit-suite.ts sends the same over raw sockets to the running server.
const ISSUER = 'http://127.0.0.1:3000'
const LIMIT = 16 * 1024
const CHUNK = 1024
let auth: JwtAuth<object>
let app: (request: Request) => Promise<Response>

beforeAll(async () => {
  auth = await createJwtAuth({ algorithm: 'ES256', issuer: ISSUER, audience: 'covet-demo', warn: () => {} })
  app = await createApp({ auth, issuer: ISSUER })
})

/** A 1 MiB form body produced on demand in 1 KiB chunks; it counts what it produced. */
function largeForm() {
  const state = { produced: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.produced === 1024 * CHUNK) return controller.close()
        state.produced += CHUNK
        controller.enqueue(new Uint8Array(CHUNK).fill(0x61))
      },
      cancel() {
        state.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, state }
}

async function logout(headers: Record<string, string>, body: ReadableStream<Uint8Array>) {
  const { accessToken } = await auth.createTokenPair('alice', { clientId: 'demo-app' })
  const request = new Request(`${ISSUER}/logout`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body,
    duplex: 'half',
  } as RequestInit)
  return { response: await app(request), accessToken }
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  expect(response.headers.has('www-authenticate')).toBe(false)
  expect(await response.json()).toEqual({
    type: 'about:blank',
    title: 'Content Too Large',
    status: 413,
    detail: `The request body is larger than ${LIMIT} bytes`,
    code: 'ERR_BODY_TOO_LARGE',
  })
}

describe('POST /logout with a body over 16 KiB', () => {
  it('answers 413 to a Content-Length over the limit without reading the body, and revokes nothing', async () => {
    const { stream, state } = largeForm()
    const { response, accessToken } = await logout({ 'content-length': String(LIMIT + 1) }, stream)
    await expectTooLarge(response)
    expect(state).toEqual({ produced: 0, cancelled: true })
    await expect(auth.verifyToken(accessToken)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('answers 413 to a body without Content-Length (chunked) once it passes the limit, and stops reading it', async () => {
    const { stream, state } = largeForm()
    const { response } = await logout({}, stream)
    await expectTooLarge(response)
    expect(state).toEqual({ produced: LIMIT + CHUNK, cancelled: true })
  })
})
