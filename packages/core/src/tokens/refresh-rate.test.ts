import { beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { RefreshRateLimitedError } from '../errors.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { KID, SECRET } from '../test-support/keys.js'

// The per-subject rotation limit: a client looping on refresh is held back without spending its token.
const clock = frozenClock()
const options = { algorithm: 'HS256', keys: { key: SECRET, kid: KID }, clock: clock.now } as const

beforeEach(() => clock.set(EPOCH))

async function rotateTimes(auth: Awaited<ReturnType<typeof createJwtAuth>>, refreshToken: string, n: number) {
  let current = refreshToken
  for (let i = 0; i < n; i++) current = (await auth.refreshAccessToken(current)).refreshToken
  return current
}

describe('refreshRateLimit', () => {
  it('refuses the 61st rotation of a subject within a minute by default, with ERR_REFRESH_RATE_LIMITED and 429', async () => {
    const auth = await createJwtAuth(options)
    const { refreshToken } = await auth.createTokenPair('alice')
    const current = await rotateTimes(auth, refreshToken, 60)
    clock.advance(15)
    const refused = await auth.refreshAccessToken(current).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(RefreshRateLimitedError)
    expect(refused).toMatchObject({
      code: 'ERR_REFRESH_RATE_LIMITED',
      status: 429,
      retryAfter: 45,
      message: 'Too many refreshes; retry later',
    })
  })

  it('leaves the refused refresh token unspent: it rotates once the window has passed', async () => {
    const auth = await createJwtAuth({ ...options, refreshRateLimit: { limit: 2, window: '10s' } })
    const { refreshToken } = await auth.createTokenPair('alice')
    const current = await rotateTimes(auth, refreshToken, 2)
    await expect(auth.refreshAccessToken(current)).rejects.toMatchObject({ retryAfter: 10 })
    await expect(auth.verifyToken(current, { type: 'refresh' })).resolves.toMatchObject({ subject: 'alice' })
    clock.advance(10)
    await expect(auth.refreshAccessToken(current)).resolves.toMatchObject({ tokenType: 'Bearer' })
  })

  it('counts per subject: one subject at its limit does not hold back another', async () => {
    const auth = await createJwtAuth({ ...options, refreshRateLimit: { limit: 2, window: '1m' } })
    const [alice, bob] = await Promise.all([auth.createTokenPair('alice'), auth.createTokenPair('bob')])
    const current = await rotateTimes(auth, alice.refreshToken, 2)
    await expect(auth.refreshAccessToken(current)).rejects.toMatchObject({ code: 'ERR_REFRESH_RATE_LIMITED' })
    await expect(rotateTimes(auth, bob.refreshToken, 2)).resolves.toEqual(expect.any(String))
  })

  it('counts every family of the subject together', async () => {
    const auth = await createJwtAuth({ ...options, refreshRateLimit: { limit: 3, window: '1m' } })
    const pairs = await Promise.all([0, 1, 2, 3].map(() => auth.createTokenPair('alice')))
    for (const pair of pairs.slice(0, 3)) await auth.refreshAccessToken(pair.refreshToken)
    await expect(auth.refreshAccessToken(pairs[3]!.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_RATE_LIMITED',
    })
  })

  it('is off with false', async () => {
    const auth = await createJwtAuth({ ...options, refreshRateLimit: false })
    const { refreshToken } = await auth.createTokenPair('alice')
    await expect(rotateTimes(auth, refreshToken, 100)).resolves.toEqual(expect.any(String))
  })
})
