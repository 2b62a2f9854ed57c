import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { createDpopProof, createJwtAuth, withJwtAuth } from '@covet/core'
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../test-support/raw-http.js'
import { globalResponseIsFast } from './globals.js'
import { type RunningServer, serve } from './index.js'

const secret = 'a-test-secret-that-is-long-enough-for-hs256!'
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: secret,
  issuer: 'https://issuer.test',
  audience: 'api',
})
const echo = (request: Request) =>
  new Response(JSON.stringify({ authorization: request.headers.get('authorization') }), {
    headers: { 'content-type': 'application/json' },
  })

describe('the Node adapter', () => {
  const controller = new AbortController()
  let plain: RunningServer
  let guarded: RunningServer
  beforeAll(async () => {
    plain = await serve(echo, { signal: controller.signal })
    guarded = await serve(withJwtAuth(echo, { auth, realm: 'api' }), { signal: controller.signal })
  })
  afterAll(() => controller.abort())

  it('listens on a free loopback port when none is given', () => {
    expect(plain.hostname).toBe('127.0.0.1')
    expect(plain.port).toBeGreaterThan(0)
    expect(plain.url).toBe(`http://127.0.0.1:${plain.port}`)
  })

  it('passes both Authorization headers on, joined with ", " as Fetch does', async () => {
    const response = await rawRequest(
      plain.port,
      'GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer one\r\nAuthorization: Bearer two',
    )
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({ authorization: 'Bearer one, Bearer two' })
  })

  it('joins repeated Authorization headers whatever their spelling', async () => {
    const response = await rawRequest(
      plain.port,
      'GET /x HTTP/1.1\r\nHost: localhost\r\nauthorization: Bearer one\r\nX-Other: 1\r\nAUTHORIZATION: Bearer two',
    )
    expect(JSON.parse(response.body)).toEqual({ authorization: 'Bearer one, Bearer two' })
  })

  it('leaves a single Authorization header untouched', async () => {
    const response = await rawRequest(
      plain.port,
      'GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer one',
    )
    expect(JSON.parse(response.body)).toEqual({ authorization: 'Bearer one' })
  })

  it('lets withJwtAuth answer 400 invalid_request to two Authorization headers', async () => {
    const token = await auth.createToken('alice')
    const response = await rawRequest(
      guarded.port,
      `GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer ${token}`,
    )
    expect(response.status).toBe(400)
    expect(response.header('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_request", error_description="More than one Authorization credential was sent"',
    )
    expect(response.header('content-type')).toBe('application/problem+json')
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'More than one Authorization credential was sent',
      code: 'ERR_INVALID_REQUEST',
    })
  })

  it('answers a request with one valid token through the protected handler', async () => {
    const token = await auth.createToken('alice')
    const response = await rawRequest(
      guarded.port,
      `GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}`,
    )
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({ authorization: `Bearer ${token}` })
  })

  it('stops accepting connections once its signal is aborted', async () => {
    const local = new AbortController()
    const server = await serve(echo, { signal: local.signal })
    local.abort()
    await server.close()
    await expect(rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: localhost')).rejects.toThrow(/ECONNREFUSED/)
  })

  it('answers in-flight requests on SIGTERM, then ends with that signal', async () => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../test-support/serve-fixture.mjs', import.meta.url))],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const [port] = (await once(child.stdout, 'data')) as [Buffer]
    const pending = rawRequest(Number(port.toString()), 'GET /slow HTTP/1.1\r\nHost: localhost')
    await new Promise((resolve) => setTimeout(resolve, 100))
    child.kill('SIGTERM')
    const response = await pending
    await once(child, 'exit')
    expect({
      status: response.status,
      body: response.body,
      exit: child.exitCode,
      signal: child.signalCode,
    }).toEqual({
      status: 200,
      body: 'finished',
      exit: null,
      signal: 'SIGTERM',
    })
  })

  it('refuses an invalid port at start-up with a ConfigError naming the option', () => {
    expect(() => serve(echo, { port: 70_000 })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }))
  })
})

describe('the Node adapter with DPoP nonces (RFC 9449 §9)', () => {
  let seconds = 1_800_000_000
  const clock = () => seconds * 1000
  const controller = new AbortController()
  let server: RunningServer
  beforeAll(async () => {
    const nonceAuth = await createJwtAuth({
      algorithm: 'HS256',
      keys: secret,
      issuer: 'https://issuer.test',
      audience: 'api',
      clock,
    })
    const app = withJwtAuth(
      (request) =>
        new URL(request.url).pathname === '/moved'
          ? Response.redirect('http://localhost/x', 303)
          : Response.json({ ok: true }),
      {
        auth: nonceAuth,
        realm: 'api',
        dpop: { clock, nonce: { secret: 'the resource nonce secret, 32 bytes at least' } },
      },
    )
    server = await serve(app, { signal: controller.signal })
    const key = await generateKeyPair('ES256')
    const token = await nonceAuth.createToken('alice', {
      dpopJkt: await calculateJwkThumbprint(await exportJWK(key.publicKey)),
    })
    send = async (path, nonce) => {
      const proof = await createDpopProof(key, 'ES256', {
        method: 'GET',
        url: `http://localhost${path}`,
        accessToken: token,
        issuedAt: seconds,
        ...(nonce === undefined ? {} : { nonce }),
      })
      return rawRequest(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: DPoP ${token}\r\nDPoP: ${proof}`,
      )
    }
  })
  afterAll(() => controller.abort())
  let send: (path: string, nonce?: string) => ReturnType<typeof rawRequest>

  it('writes the current nonce in DPoP-Nonce to the wire for a proof with the previous one, srvx globals on', async () => {
    expect(globalResponseIsFast()).toBe(true)
    const previous = (await send('/x')).header('dpop-nonce')!
    seconds += 300
    const current = (await send('/x')).header('dpop-nonce')!
    expect(current).not.toBe(previous)

    const stale = await send('/x', previous)
    expect(stale.status).toBe(200)
    expect(stale.headers.filter(([name]) => name === 'dpop-nonce')).toEqual([['dpop-nonce', current]])
    expect(JSON.parse(stale.body)).toEqual({ ok: true })

    const moved = await send('/moved', previous)
    expect(moved.status).toBe(303)
    expect(moved.header('location')).toBe('http://localhost/x')
    expect(moved.header('dpop-nonce')).toBe(current)

    const fresh = await send('/x', current)
    expect(fresh.status).toBe(200)
    expect(fresh.header('dpop-nonce')).toBeUndefined()
  })
})
