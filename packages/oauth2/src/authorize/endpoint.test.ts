import { createJwtAuth, MemoryRevocationStore } from '@covet/core'
import { describe, expect, it } from 'vitest'
import { CODE_CLIENTS, loginForm, spaQuery } from '../test-support/code-flow.js'
import { makeAuth, makeClients, verifyUser } from '../test-support/fixtures.js'
import { createAuthorizationEndpoint } from './endpoint.js'

const clients = makeClients(CODE_CLIENTS)

const query = async (extra: Record<string, string> = {}) => new URLSearchParams(await spaQuery(extra))

describe('createAuthorizationEndpoint options', () => {
  it('refuses a store without record methods, an issuer that is no URL, and a code lifetime over 60 s', async () => {
    // A store written before records existed: everything but putRecord, getRecord and swapRecord.
    const legacy = new MemoryRevocationStore()
    Object.defineProperty(legacy, 'putRecord', { value: undefined })
    const bare = await createJwtAuth({
      issuer: 'https://auth.example.test',
      revocation: legacy,
      warn: () => {},
    })
    expect(() => createAuthorizationEndpoint({ auth: bare, clients, verifyUser })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'auth.revocation' }),
    )
    const auth = await makeAuth()
    expect(() => createAuthorizationEndpoint({ auth, clients, verifyUser, issuer: 'auth.example' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'issuer' }),
    )
    expect(() => createAuthorizationEndpoint({ auth, clients, verifyUser, codeTtl: '61s' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'codeTtl' }),
    )
    expect(() => createAuthorizationEndpoint({ auth, clients, verifyUser, cookieSecret: 'short' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'cookieSecret' }),
    )
    expect(() =>
      createAuthorizationEndpoint({ auth, clients, verifyUser, onError: () => {} } as never),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', field: 'onError' }))
  })
})

describe('the authorization endpoint over HTTP', () => {
  it('sets cookies without Secure on a loopback host over http, and with it elsewhere', async () => {
    const authorize = createAuthorizationEndpoint({ auth: await makeAuth(), clients, verifyUser })
    const local = await authorize(new Request(`http://127.0.0.1:3000/oauth/authorize?${await query()}`))
    expect(local.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        /^covet_csrf=[\w-]{43}; Path=\/oauth\/authorize; Max-Age=3600; HttpOnly; SameSite=Strict$/,
      ),
    ])
    const remote = await authorize(new Request(`http://auth.example/oauth/authorize?${await query()}`))
    expect(remote.headers.getSetCookie()[0]).toMatch(/; HttpOnly; Secure; SameSite=Strict$/)
  })

  it('answers 405 with Allow to other methods, and 413 problem+json to a form over 16 KiB', async () => {
    const authorize = createAuthorizationEndpoint({ auth: await makeAuth(), clients, verifyUser })
    const put = await authorize(new Request('https://auth.example.test/oauth/authorize', { method: 'PUT' }))
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST')
    const big = await authorize(
      new Request('https://auth.example.test/oauth/authorize', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `request=${'x'.repeat(17 * 1024)}`,
      }),
    )
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toBe('application/problem+json')
  })

  it('answers a store outage with a 503 page, telling reportError', async () => {
    class Broken extends MemoryRevocationStore {
      override async putRecord(): Promise<void> {
        throw new Error('connection refused')
      }
    }
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'a-test-secret-of-at-least-thirty-two-bytes!!',
      issuer: 'https://auth.example.test',
      revocation: new Broken(),
      warn: () => {},
    })
    const errors: unknown[] = []
    const authorize = createAuthorizationEndpoint({
      auth,
      clients,
      verifyUser,
      reportError: (e) => errors.push(e),
    })
    const login = await authorize(new Request(`https://auth.example.test/oauth/authorize?${await query()}`))
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
    const response = await authorize(
      new Request('https://auth.example.test/oauth/authorize', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(loginForm(await login.text())),
      }),
    )
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('Signing in is not possible right now. Try again later.')
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' })])
  })

  it('sends a host-rendered login page with the anti-framing headers, and the fields it must post back', async () => {
    const seen: unknown[] = []
    const authorize = createAuthorizationEndpoint({
      auth: await makeAuth(),
      clients,
      verifyUser,
      renderLogin: (page) => {
        seen.push(page)
        return '<!doctype html><title>Mine</title>'
      },
      renderConsent: () => new Response('<p>consent</p>', { headers: { 'content-type': 'text/html' } }),
    })
    const response = await authorize(
      new Request(`https://auth.example.test/oauth/authorize?${await query({ scope: 'read' })}`),
    )
    expect(await response.text()).toBe('<!doctype html><title>Mine</title>')
    expect(response.headers.get('content-security-policy')).toBe(
      "form-action 'self' https://spa.example.test; frame-ancestors 'none'; base-uri 'none'",
    )
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(seen).toEqual([
      {
        client: { id: 'spa', name: 'Example SPA' },
        scopes: [{ scope: 'read', description: 'read' }],
        fields: {
          request: expect.stringContaining('client_id=spa'),
          csrf: expect.stringMatching(/^[\w-]{43}$/),
        },
      },
    ])
  })
})
