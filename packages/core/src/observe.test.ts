import { describe, expect, it } from 'vitest'
import { createJwtAuth } from './create-jwt-auth.js'
import { withJwtAuth } from './http/with-jwt-auth.js'
import { MemoryRevocationStore } from './revocation/memory-store.js'
import { EPOCH, frozenClock } from './test-support/clock.js'
import { KID, SECRET } from './test-support/keys.js'
import type { AuthObserver, CovetEvent, TokenType, VerifyOutcome } from './types.js'

// auth.observe: hooks for metrics and tracing added after construction (what @covet/otel uses).

/** An observer that records what it is told, and the order of starts and ends. */
function recordingObserver() {
  const events: CovetEvent[] = []
  const log: string[] = []
  const outcomes: { expected: TokenType | 'any'; outcome: VerifyOutcome }[] = []
  const observer: AuthObserver = {
    onEvent: (event) => events.push(event),
    onVerify(expected) {
      log.push(`start ${expected}`)
      return (outcome) => {
        log.push(`end ${outcome.error?.code ?? outcome.tokenType}`)
        outcomes.push({ expected, outcome })
      }
    },
  }
  return { observer, events, log, outcomes }
}

async function hs256(options: { revocation?: MemoryRevocationStore; failOpen?: boolean } = {}) {
  const clock = frozenClock()
  const auth = await createJwtAuth({
    algorithm: 'HS256',
    keys: { key: SECRET, kid: KID },
    clock: clock.now,
    ...options,
  })
  return { auth, clock }
}

describe('auth.observe', () => {
  it('tells an observer of each verification: expected type, cache hit or miss, and the outcome', async () => {
    const { auth, clock } = await hs256()
    const { observer, outcomes, log } = recordingObserver()
    auth.observe(observer)
    const pair = await auth.createTokenPair('alice')

    await auth.verifyToken(pair.accessToken)
    await auth.verifyToken(pair.accessToken)
    await expect(auth.verifyToken(pair.refreshToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_TYPE' })
    await expect(auth.verifyToken('not-a-token')).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
    clock.advance(3600)
    await expect(auth.verifyToken(pair.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })

    expect(log).toEqual([
      'start access',
      'end access',
      'start access',
      'end access',
      'start access',
      'end ERR_TOKEN_TYPE',
      'start access',
      'end ERR_TOKEN_INVALID',
      'start access',
      'end ERR_TOKEN_EXPIRED',
    ])
    expect(outcomes.map(({ outcome }) => outcome.cached)).toEqual([false, true, false, false, true])
    expect(outcomes[0]!.outcome).toEqual({ cached: false, tokenType: 'access', error: undefined })
    expect(outcomes[3]!.outcome.error).toMatchObject({ code: 'ERR_TOKEN_INVALID', reason: 'malformed' })
  })

  it('times the verification withJwtAuth does for each protected request', async () => {
    const { auth } = await hs256()
    const { observer, outcomes } = recordingObserver()
    auth.observe(observer)
    const handler = withJwtAuth(() => new Response('ok'), { auth })
    const token = await auth.createToken('alice')
    const call = (authorization: string) =>
      handler(new Request('https://api.example/me', { headers: { authorization } }))
    expect((await call(`Bearer ${token}`)).status).toBe(200)
    expect((await call('Bearer not-a-token')).status).toBe(401)
    expect(
      outcomes.map(({ expected, outcome }) => [expected, outcome.tokenType, outcome.error?.code]),
    ).toEqual([
      ['access', 'access', undefined],
      ['access', undefined, 'ERR_TOKEN_INVALID'],
    ])
  })

  it('times the refresh token verification of refreshAccessToken, expecting a refresh token', async () => {
    const { auth } = await hs256()
    const { observer, outcomes } = recordingObserver()
    auth.observe(observer)
    const pair = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(pair.refreshToken)
    expect(outcomes).toEqual([
      { expected: 'refresh', outcome: { cached: false, tokenType: 'refresh', error: undefined } },
    ])
  })

  it('skips timing when onVerify answers undefined, and stops calling an observer once removed', async () => {
    const { auth } = await hs256()
    let starts = 0
    const stop = auth.observe({
      onVerify() {
        starts++
        return undefined
      },
    })
    const token = await auth.createToken('alice')
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    stop()
    await auth.verifyToken(token)
    expect(starts).toBe(1)
  })

  it('delivers every event to observers as well as to onEvent, with the grant and client of issued tokens', async () => {
    const fromOption: CovetEvent[] = []
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: SECRET,
      clock: () => EPOCH * 1000,
      onEvent: (event) => fromOption.push(event),
    })
    const { observer, events } = recordingObserver()
    auth.observe(observer)
    const pair = await auth.createTokenPair('alice', { clientId: 'web', grantType: 'password' })
    await auth.refreshAccessToken(pair.refreshToken)
    await expect(auth.refreshAccessToken(pair.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })

    expect(events).toEqual(fromOption)
    const issued = events.filter((event) => event.type === 'token.issued')
    expect(issued.map((event) => [event.tokenType, event.grantType, event.clientId])).toEqual([
      ['access', 'password', 'web'],
      ['refresh', 'password', 'web'],
      ['access', 'refresh_token', 'web'],
      ['refresh', 'refresh_token', 'web'],
    ])
    expect(events.find((event) => event.type === 'refresh.rotated')).toMatchObject({ clientId: 'web' })
    expect(events.find((event) => event.type === 'refresh.reuse_detected')).toMatchObject({
      clientId: 'web',
    })
  })

  it('refuses a grant type that is not printable ASCII, before signing', async () => {
    const { auth } = await hs256()
    await expect(auth.createToken('alice', { grantType: 'pass word' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
  })

  it('reports a failing store read as store.failed, with failOpen saying whether the token was accepted', async () => {
    for (const failOpen of [false, true]) {
      const revocation = new MemoryRevocationStore()
      // The memory store answers synchronously; a shared store answers with a promise, here a failing one.
      revocation.isRevoked = (() => Promise.reject(new Error('connection reset'))) as never
      const { auth } = await hs256({ revocation, failOpen })
      const { observer, events } = recordingObserver()
      auth.observe(observer)
      const token = await auth.createToken('alice')
      const verified = auth.verifyToken(token)
      if (failOpen) await expect(verified).resolves.toMatchObject({ subject: 'alice' })
      else await expect(verified).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
      expect(events.filter((event) => event.type === 'store.failed')).toEqual([
        { type: 'store.failed', operation: 'isRevoked', failOpen },
      ])
    }
  })

  it('reports a failing store write as store.failed, never fail-open', async () => {
    const revocation = new MemoryRevocationStore()
    revocation.revoke = () => Promise.reject(new Error('connection reset'))
    const { auth } = await hs256({ revocation, failOpen: true })
    const { observer, events } = recordingObserver()
    auth.observe(observer)
    const token = await auth.createToken('alice')
    await expect(auth.revokeToken(token)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
    expect(events.filter((event) => event.type === 'store.failed')).toEqual([
      { type: 'store.failed', operation: 'revoke', failOpen: false },
    ])
  })

  it('ignores an observer that throws: the outcome of verification does not change', async () => {
    const { auth } = await hs256()
    auth.observe({
      onEvent() {
        throw new Error('sink down')
      },
      onVerify() {
        return () => {
          throw new Error('sink down')
        }
      },
    })
    auth.observe({
      onVerify() {
        throw new Error('sink down')
      },
    })
    const token = await auth.createToken('alice')
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    await expect(auth.verifyToken('x.y.z')).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
  })

  it('refuses an observer that is not an object of functions with InvalidArgumentError', async () => {
    const { auth } = await hs256()
    expect(() => auth.observe(null as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
    expect(() => auth.observe({ onVerify: 'yes' } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
  })
})

describe('auth.stats', () => {
  it('counts the verified-token cache and the memory store, and is undefined for the cache when it is off', async () => {
    const revocation = new MemoryRevocationStore()
    const { auth } = await hs256({ revocation })
    const [a, b] = await Promise.all([auth.createToken('alice'), auth.createToken('bob')])
    await auth.verifyToken(a)
    await auth.verifyToken(b)
    await auth.revokeToken(b)
    expect(auth.stats()).toEqual({ cacheEntries: 2, revocationEntries: 1, retiringKeys: [] })

    const off = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, cache: false })
    expect(off.stats().cacheEntries).toBeUndefined()
  })

  it('dates each verification-only key from when it stopped signing, plus the longest token lifetime and the tolerance', async () => {
    const { auth, clock } = await hs256()
    // Only one key: nothing to retire.
    expect(auth.stats().retiringKeys).toEqual([])

    clock.advance(100)
    await auth.updateKeys([
      { key: `${SECRET}-next`, kid: 'next' },
      { key: SECRET, kid: KID },
    ])
    // Refresh tokens (30 days) outlive access tokens (15 minutes); clock tolerance 5 s.
    const retireAt = EPOCH + 100 + 30 * 86_400 + 5
    expect(auth.stats().retiringKeys).toEqual([{ kid: KID, retireAt }])

    // A later rotation keeps the date of a key that was already retiring.
    clock.advance(50)
    await auth.updateKeys([
      { key: `${SECRET}-third`, kid: 'third' },
      { key: `${SECRET}-next`, kid: 'next' },
      { key: SECRET, kid: KID },
    ])
    expect(auth.stats().retiringKeys).toEqual([
      { kid: KID, retireAt },
      { kid: 'next', retireAt: retireAt + 50 },
    ])
  })

  it('dates keys configured at start-up beside the signing key from the start', async () => {
    const clock = frozenClock()
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: [
        { key: SECRET, kid: 'new' },
        { key: `${SECRET}-old`, kid: 'old' },
      ],
      accessTokenTtl: '1h',
      refreshTokenTtl: '2h',
      clockTolerance: 0,
      clock: clock.now,
    })
    expect(auth.stats().retiringKeys).toEqual([{ kid: 'old', retireAt: EPOCH + 7200 }])
  })
})
