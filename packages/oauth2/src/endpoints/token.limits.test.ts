import { describe, expect, it } from 'vitest'
import { createMemoryLimiter } from '../limiter/memory.js'
import { countingVerifier, statuses } from '../test-support/counting-verifier.js'
import { expectError } from '../test-support/expect.js'
import { frozenClock, post, read, SECRETS, USERS } from '../test-support/fixtures.js'
import { throttledEndpoint, useTokenEndpoint } from '../test-support/token-endpoint.js'
import type { TokenEndpointOptions } from './token.js'

// Failed logins are limited per username (a lock), and per client and per source (a budget that,
// once spent, admits only a username's first attempt of its window). See docs/security.md.
const server = useTokenEndpoint()
const web: readonly [string, string] = ['web', SECRETS.web]
const other: readonly [string, string] = ['other', SECRETS.other]

function setup(options: Partial<TokenEndpointOptions> = {}) {
  const { clock, seen, endpoint } = throttledEndpoint(
    server,
    { username: { limit: 10, window: '15m' }, client: { limit: 3, window: '1m' } },
    options,
  )
  const login = (username: string, password: string, client = web, headers: Record<string, string> = {}) =>
    endpoint(post({ grant_type: 'password', username, password }, { basic: client, headers }))
  const rightPassword = (username: string) => USERS[username]!.password
  return { clock, seen, login, rightPassword }
}

describe('token endpoint: 1,000 failed logins with random usernames through one client', () => {
  it('leave alice, who gives her right password, signing in with 200 and a token (default limits)', async () => {
    const { seen, verifyUser } = countingVerifier()
    const endpoint = server.create({ verifyUser })
    const login = (username: string, password: string) =>
      endpoint(post({ grant_type: 'password', username, password }, { basic: web }))
    for (let batch = 0; batch < 10; batch++) {
      const failures = await Promise.all(
        Array.from({ length: 100 }, () => login(crypto.randomUUID(), 'guess')),
      )
      expect(statuses(failures)).toEqual({ 400: 100 })
    }
    expect(seen.wrong).toBe(1000)
    const alice = await read(await login('alice', USERS.alice!.password))
    expect(alice.status).toBe(200)
    expect(alice.body).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' })
    expect(await server.auth.verifyToken(alice.body!.access_token as string)).toMatchObject({
      subject: 'alice',
    })
  })
})

describe('token endpoint: limits per username, per client and per source', () => {
  it('(a) lock a username at its limit whatever the password, through every client', async () => {
    const { seen, login, rightPassword } = setup({ clientLimiter: false })
    for (let i = 0; i < 10; i++) expect((await login('alice', `wrong-${i}`)).status).toBe(400)
    await expectError(await login('alice', rightPassword('alice'), other), 429, 'temporarily_unavailable', {
      'retry-after': '900',
    })
    expect(seen).toEqual({ wrong: 10, right: 0 })
    expect((await login('bob', rightPassword('bob'))).status).toBe(200)
  })

  it('(b) once the client budget is spent, check each username at most once in its window', async () => {
    const { clock, seen, login } = setup()
    for (const name of ['u1', 'u2', 'u3']) expect((await login(name, 'guess')).status).toBe(400)
    clock.advance(20)
    // u1 already failed: refused unchecked until the client's window ends, 40 s from now.
    await expectError(await login('u1', 'guess-2'), 429, 'temporarily_unavailable', { 'retry-after': '40' })
    expect((await login('u4', 'guess')).status).toBe(400)
    expect((await login('u4', 'guess-2')).status).toBe(429)
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => login('u5', `guess-${i}`)))
    expect(statuses(burst)).toEqual({ 400: 1, 429: 49 })
    expect(seen.wrong).toBe(3 + 1 + 1)
    clock.advance(40)
    expect((await login('u1', 'guess-3')).status).toBe(400)
  })

  it('(c) never refuse a right password because of failures on other usernames', async () => {
    const { seen, login, rightPassword } = setup()
    const guesses = Array.from({ length: 30 }, (_, i) => login(`random-${i}`, 'guess'))
    expect(statuses(await Promise.all(guesses))).toEqual({ 400: 30 })
    expect((await login('alice', rightPassword('alice'))).status).toBe(200)
    expect((await login('bob', rightPassword('bob'))).status).toBe(200)
    expect((await login('alice', rightPassword('alice'))).status).toBe(200)
    expect(seen).toEqual({ wrong: 30, right: 3 })
  })

  it('(c) but refuse, while the budget is spent, a username with a failure of its own in its window', async () => {
    const { login, rightPassword } = setup()
    expect((await login('bob', 'typo')).status).toBe(400)
    for (const name of ['u1', 'u2']) expect((await login(name, 'guess')).status).toBe(400)
    await expectError(await login('bob', rightPassword('bob')), 429, 'temporarily_unavailable', {
      'retry-after': '60',
    })
  })

  it('give the client back the attempt of every success, so signing in never spends its budget', async () => {
    const { seen, login, rightPassword } = setup()
    for (let i = 0; i < 20; i++) expect((await login('alice', rightPassword('alice'))).status).toBe(200)
    expect((await login('u1', 'guess')).status).toBe(400)
    expect((await login('u2', 'guess')).status).toBe(400)
    // Two failures of a budget of three: u1 may still try again.
    expect((await login('u1', 'guess-2')).status).toBe(400)
    expect(seen).toEqual({ wrong: 3, right: 20 })
  })

  it('count per source when the host names one, leaving other sources and unnamed requests alone', async () => {
    const { seen, login, rightPassword } = setup({
      clientLimiter: false,
      sourceKey: (request) => request.headers.get('x-test-source') ?? undefined,
      sourceLimiter: createMemoryLimiter({ limit: 2, window: '5m', clock: frozenClock().now }),
    })
    const from = (source: string) => ({ 'x-test-source': source })
    expect((await login('u1', 'guess', web, from('10.0.0.1'))).status).toBe(400)
    expect((await login('u2', 'guess', web, from('10.0.0.1'))).status).toBe(400)
    await expectError(await login('u1', 'guess-2', web, from('10.0.0.1')), 429, 'temporarily_unavailable', {
      'retry-after': '300',
    })
    expect((await login('u1', 'guess-2', web, from('10.0.0.2'))).status).toBe(400)
    expect((await login('u1', 'guess-3')).status).toBe(400)
    expect((await login('alice', rightPassword('alice'), web, from('10.0.0.1'))).status).toBe(200)
    expect(seen).toEqual({ wrong: 4, right: 1 })
  })

  it('refuse every username once the client budget is spent when the per-username limit is off', async () => {
    const { seen, login, rightPassword } = setup({ limiter: false })
    for (const name of ['u1', 'u2', 'u3']) expect((await login(name, 'guess')).status).toBe(400)
    await expectError(await login('alice', rightPassword('alice')), 429, 'temporarily_unavailable', {
      'retry-after': '60',
    })
    expect((await login('alice', rightPassword('alice'), other)).status).toBe(200)
    expect(seen).toEqual({ wrong: 3, right: 1 })
  })

  it('refuse a limiter without consume, refund and reset, naming the option', () => {
    const legacy = { retryAfter: async () => 0, fail: async () => 0, reset: async () => {} }
    for (const field of ['limiter', 'clientLimiter', 'sourceLimiter'] as const) {
      expect(() => server.create({ verifyUser: async () => null, [field]: legacy as never })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG', field }),
      )
    }
    expect(() =>
      server.create({ verifyUser: async () => null, sourceKey: 'x-forwarded-for' as never }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', field: 'sourceKey' }))
  })
})
