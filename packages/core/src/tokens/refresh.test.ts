import { beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { KID, SECRET } from '../test-support/keys.js'

// Refresh rotation and reuse detection (RFC 6749 §6, RFC 9700 §4.14.2).
const clock = frozenClock()
const options = { algorithm: 'HS256', keys: { key: SECRET, kid: KID }, clock: clock.now } as const
const grant = { roles: ['editor'], permissions: ['posts:write'], scope: 'read write', clientId: 'web' }

let auth: Awaited<ReturnType<typeof createJwtAuth>>
beforeEach(async () => {
  clock.set(EPOCH)
  auth = await createJwtAuth(options)
})

const REVOKED = { code: 'ERR_TOKEN_REVOKED' }

describe('rotation', () => {
  it('returns a new pair that differs from the old one and carries the same grant and family', async () => {
    const first = await auth.createTokenPair('alice', grant)
    clock.advance(1)
    const second = await auth.refreshAccessToken(first.refreshToken)
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 2_592_000,
      scope: 'read write',
    })
    const [oldAccess, newAccess, newRefresh] = await Promise.all([
      auth.verifyToken(first.accessToken),
      auth.verifyToken(second.accessToken),
      auth.verifyToken(second.refreshToken, { type: 'refresh' }),
    ])
    expect(oldAccess.familyId).toEqual(expect.any(String))
    expect(newAccess.familyId).toBe(oldAccess.familyId)
    expect(newRefresh.familyId).toBe(oldAccess.familyId)
    expect(newAccess).toMatchObject({
      subject: 'alice',
      roles: ['editor'],
      permissions: ['posts:write'],
      scopes: ['read', 'write'],
      clientId: 'web',
      issuedAt: EPOCH + 1,
    })
  })

  it('leaves the old access token valid until its exp, then expired', async () => {
    const first = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(first.refreshToken)
    await expect(auth.verifyToken(first.accessToken)).resolves.toMatchObject({ subject: 'alice' })
    clock.advance(900 + 5)
    await expect(auth.verifyToken(first.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })
  })

  it('refuses an access token given as a refresh token', async () => {
    const first = await auth.createTokenPair('alice')
    await expect(auth.refreshAccessToken(first.accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_TYPE' })
  })

  it('refuses a refresh token that belongs to no family', async () => {
    const lone = await auth.createToken('alice', { type: 'refresh' })
    await expect(auth.refreshAccessToken(lone)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'payload',
    })
  })
})

describe('reuse of a spent refresh token', () => {
  it('is answered ERR_REFRESH_REUSED and revokes the whole family, access tokens included', async () => {
    const first = await auth.createTokenPair('alice')
    const second = await auth.refreshAccessToken(first.refreshToken)
    await expect(auth.verifyToken(second.accessToken)).resolves.toBeDefined()
    await expect(auth.refreshAccessToken(first.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
      status: 401,
      bearerError: 'invalid_token',
    })
    await expect(auth.verifyToken(second.accessToken)).rejects.toMatchObject(REVOKED)
    await expect(auth.verifyToken(second.refreshToken, { type: 'refresh' })).rejects.toMatchObject(REVOKED)
    await expect(auth.verifyToken(first.accessToken)).rejects.toMatchObject(REVOKED)
    await expect(auth.refreshAccessToken(second.refreshToken)).rejects.toMatchObject(REVOKED)
  })

  it('leaves other families of the same subject alone', async () => {
    const stolen = await auth.createTokenPair('alice')
    const other = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(stolen.refreshToken)
    await expect(auth.refreshAccessToken(stolen.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
    await expect(auth.verifyToken(other.accessToken)).resolves.toMatchObject({ subject: 'alice' })
    await expect(auth.refreshAccessToken(other.refreshToken)).resolves.toBeDefined()
  })
})

describe('concurrent refreshes of one token', () => {
  it('let exactly one of 20 win; every other is refused as reuse or revoked', async () => {
    const { refreshToken } = await auth.createTokenPair('alice')
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => auth.refreshAccessToken(refreshToken)),
    )
    const fulfilled = results.filter((r) => r.status === 'fulfilled')
    const codes = results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as { code: string }).code] : [],
    )
    expect(fulfilled).toHaveLength(1)
    expect(codes).toHaveLength(19)
    expect(codes).toContain('ERR_REFRESH_REUSED')
    for (const code of codes) expect(['ERR_REFRESH_REUSED', 'ERR_TOKEN_REVOKED']).toContain(code)
  })
})

describe('scope on refresh (RFC 6749 §6)', () => {
  it('narrows the scope of both new tokens', async () => {
    const first = await auth.createTokenPair('alice', { scope: 'read write' })
    const narrowed = await auth.refreshAccessToken(first.refreshToken, { scope: 'read' })
    expect(narrowed.scope).toBe('read')
    await expect(auth.verifyToken(narrowed.accessToken)).resolves.toMatchObject({ scopes: ['read'] })
    await expect(auth.verifyToken(narrowed.refreshToken, { type: 'refresh' })).resolves.toMatchObject({
      scopes: ['read'],
    })
    await expect(
      auth.refreshAccessToken(narrowed.refreshToken, { scope: 'read write' }),
    ).rejects.toMatchObject({
      code: 'ERR_SCOPE_WIDENED',
    })
  })

  it('throws ERR_SCOPE_WIDENED for a wider scope, without spending the token', async () => {
    const first = await auth.createTokenPair('alice', { scope: 'read' })
    await expect(auth.refreshAccessToken(first.refreshToken, { scope: 'read admin' })).rejects.toMatchObject({
      code: 'ERR_SCOPE_WIDENED',
      status: 400,
    })
    await expect(auth.refreshAccessToken(first.refreshToken)).resolves.toMatchObject({ scope: 'read' })
  })

  it('refuses any scope when none was granted', async () => {
    const first = await auth.createTokenPair('alice')
    await expect(auth.refreshAccessToken(first.refreshToken, { scope: 'read' })).rejects.toMatchObject({
      code: 'ERR_SCOPE_WIDENED',
    })
  })
})

describe('client binding (RFC 6749 §6)', () => {
  it('refuses a refresh by another client, and accepts one by the client it was issued to', async () => {
    const first = await auth.createTokenPair('alice', { clientId: 'web' })
    await expect(auth.refreshAccessToken(first.refreshToken, { clientId: 'mobile' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
    })
    await expect(auth.refreshAccessToken(first.refreshToken, { clientId: 'web' })).resolves.toBeDefined()
  })

  it('refuses a client id when the token was issued to no client', async () => {
    const first = await auth.createTokenPair('alice')
    await expect(auth.refreshAccessToken(first.refreshToken, { clientId: 'web' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
    })
  })
})

describe('grace window', () => {
  it('is off by default: an immediate repeat is reuse', async () => {
    const first = await auth.createTokenPair('alice')
    await auth.refreshAccessToken(first.refreshToken)
    await expect(auth.refreshAccessToken(first.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
  })

  it('returns the same pair to a repeat within the window, and revokes the family on a repeat after it', async () => {
    const graceful = await createJwtAuth({ ...options, refreshGraceWindow: '10s' })
    const first = await graceful.createTokenPair('alice')
    const rotated = await graceful.refreshAccessToken(first.refreshToken)
    clock.advance(9)
    await expect(graceful.refreshAccessToken(first.refreshToken)).resolves.toEqual(rotated)
    clock.advance(1)
    await expect(graceful.refreshAccessToken(first.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
    await expect(graceful.verifyToken(rotated.accessToken)).rejects.toMatchObject(REVOKED)
  })

  it('gives all of 20 concurrent refreshes the same pair within the window', async () => {
    const graceful = await createJwtAuth({ ...options, refreshGraceWindow: '10s' })
    const { refreshToken } = await graceful.createTokenPair('alice')
    const pairs = await Promise.all(
      Array.from({ length: 20 }, () => graceful.refreshAccessToken(refreshToken)),
    )
    for (const pair of pairs) expect(pair).toEqual(pairs[0])
  })
})

describe('explicit revocation', () => {
  it('revokes the family with a refresh token, and only the token with an access token', async () => {
    const first = await auth.createTokenPair('alice')
    await expect(auth.revokeToken(first.accessToken)).resolves.toMatchObject({
      type: 'access',
      familyRevoked: false,
    })
    await expect(auth.verifyToken(first.accessToken)).rejects.toMatchObject(REVOKED)
    const second = await auth.refreshAccessToken(first.refreshToken)
    await expect(auth.revokeToken(second.refreshToken)).resolves.toMatchObject({
      type: 'refresh',
      familyRevoked: true,
    })
    await expect(auth.verifyToken(second.accessToken)).rejects.toMatchObject(REVOKED)
  })

  it('ends the whole family when given a spent refresh token (RFC 9700 §4.14.2)', async () => {
    const first = await auth.createTokenPair('alice')
    const second = await auth.refreshAccessToken(first.refreshToken)
    await expect(auth.revokeToken(first.refreshToken)).resolves.toMatchObject({
      type: 'refresh',
      familyRevoked: true,
    })
    await expect(auth.verifyToken(second.accessToken)).rejects.toMatchObject(REVOKED)
    await expect(auth.refreshAccessToken(second.refreshToken)).rejects.toMatchObject(REVOKED)
  })

  it('revokes only a token of the client or subject named, and writes nothing for another', async () => {
    const store = auth.revocation as unknown as { size: number }
    const first = await auth.createTokenPair('alice', { clientId: 'web' })
    const before = store.size
    for (const guard of [{ clientId: 'mobile' }, { subject: 'bob' }]) {
      await expect(auth.revokeToken(first.refreshToken, guard)).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
        reason: 'claims',
      })
    }
    expect(store.size).toBe(before)
    await expect(auth.verifyToken(first.accessToken)).resolves.toMatchObject({ subject: 'alice' })
    await expect(
      auth.revokeToken(first.refreshToken, { clientId: 'web', subject: 'alice' }),
    ).resolves.toMatchObject({ familyRevoked: true })
    await expect(auth.verifyToken(first.accessToken)).rejects.toMatchObject(REVOKED)
  })

  it('revokes an access token’s family when asked to', async () => {
    const first = await auth.createTokenPair('alice')
    await expect(auth.revokeToken(first.accessToken, { family: true })).resolves.toMatchObject({
      type: 'access',
      familyRevoked: true,
    })
    await expect(auth.refreshAccessToken(first.refreshToken)).rejects.toMatchObject(REVOKED)
  })

  it('revokes every token of a subject issued up to now, and none issued later', async () => {
    const before = await auth.createTokenPair('alice')
    const bob = await auth.createTokenPair('bob')
    await auth.revokeSubject('alice')
    await expect(auth.verifyToken(before.accessToken)).rejects.toMatchObject(REVOKED)
    await expect(auth.refreshAccessToken(before.refreshToken)).rejects.toMatchObject(REVOKED)
    await expect(auth.verifyToken(bob.accessToken)).resolves.toMatchObject({ subject: 'bob' })
    clock.advance(1)
    const after = await auth.createTokenPair('alice')
    await expect(auth.verifyToken(after.accessToken)).resolves.toMatchObject({ subject: 'alice' })
  })
})

describe('at the end of a refresh token’s life, inside the clock tolerance', () => {
  const short = { ...options, refreshTokenTtl: '1h', clockTolerance: '5s' } as const

  it('still detects reuse of a spent refresh token that is past exp but within the tolerance', async () => {
    const edge = await createJwtAuth(short)
    const [first, unspent] = await Promise.all([edge.createTokenPair('alice'), edge.createTokenPair('alice')])
    await edge.refreshAccessToken(first.refreshToken)
    clock.advance(3600 + 1)
    // A token of the same age is still accepted: this is the tolerance window.
    await expect(edge.verifyToken(unspent.refreshToken, { type: 'refresh' })).resolves.toBeDefined()
    await expect(edge.refreshAccessToken(first.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
  })

  it('keeps a family revoked while its newest refresh token is still accepted', async () => {
    const edge = await createJwtAuth(short)
    const first = await edge.createTokenPair('alice')
    const second = await edge.refreshAccessToken(first.refreshToken)
    await expect(edge.refreshAccessToken(first.refreshToken)).rejects.toMatchObject({
      code: 'ERR_REFRESH_REUSED',
    })
    clock.advance(3600 + 1)
    await expect(edge.refreshAccessToken(second.refreshToken)).rejects.toMatchObject(REVOKED)
  })
})
