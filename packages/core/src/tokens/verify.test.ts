import { beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { forge, hmacKey } from '../test-support/jws.js'
import { KID, SECRET } from '../test-support/keys.js'

// Every claim rule of verifyToken at its boundary, with a frozen clock (RFC 7519 §4.1, RFC 9068 §4).
const ISSUER = 'https://issuer.test'
const AUDIENCE = 'api'
const TOLERANCE = 5
const ACCESS_TTL = 900
const REFRESH_TTL = 3600
const clock = frozenClock()
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: { key: SECRET, kid: KID },
  issuer: ISSUER,
  audience: AUDIENCE,
  clockTolerance: `${TOLERANCE}s`,
  accessTokenTtl: ACCESS_TTL,
  refreshTokenTtl: REFRESH_TTL,
  cache: false,
  clock: clock.now,
})
const key = await hmacKey(SECRET, 'HS256')

/** Another HS256 auth for the same issuer, audience and clock as `auth`, with the cache on unless said. */
function authWith(options: Partial<Parameters<typeof createJwtAuth>[0]>) {
  return createJwtAuth({
    algorithm: 'HS256',
    keys: { key: SECRET, kid: KID },
    issuer: ISSUER,
    audience: AUDIENCE,
    clock: clock.now,
    ...options,
  })
}
const NOW = EPOCH

beforeEach(() => clock.set(NOW))

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'alice',
    iat: NOW,
    exp: NOW + ACCESS_TTL,
    jti: crypto.randomUUID(),
    ...extra,
  }
}

function without(name: string): Record<string, unknown> {
  const { [name]: _removed, ...rest } = claims()
  return rest
}

/** `typ: null` leaves the header parameter out. */
const token = (payload: Record<string, unknown>, typ: string | null = 'at+jwt') =>
  forge(key, 'HS256', { alg: 'HS256', kid: KID, ...(typ !== null && { typ }) }, payload)

const accepts = async (payload: Record<string, unknown>, typ?: string | null) =>
  expect(auth.verifyToken(await token(payload, typ))).resolves.toMatchObject({ subject: payload.sub })

const refuses = async (
  payload: Record<string, unknown>,
  error: Record<string, unknown>,
  typ?: string | null,
) => expect(auth.verifyToken(await token(payload, typ))).rejects.toMatchObject(error)

const INVALID = { code: 'ERR_TOKEN_INVALID' }

describe('exp (RFC 7519 §4.1.4) with a 5 s tolerance', () => {
  it('accepts a token whose exp is one second inside the tolerance (now − 4 s)', async () => {
    await accepts(claims({ iat: NOW - 10, exp: NOW - TOLERANCE + 1 }))
  })

  it('refuses a token whose exp is exactly now − tolerance', async () => {
    await refuses(claims({ iat: NOW - 10, exp: NOW - TOLERANCE }), {
      code: 'ERR_TOKEN_EXPIRED',
      reason: 'expired',
    })
  })

  it('accepts a token whose exp is now + tolerance', async () => {
    await accepts(claims({ exp: NOW + TOLERANCE }))
  })

  it('refuses a token without exp', async () => {
    await refuses(without('exp'), INVALID)
  })

  it('refuses an exp that is not a number', async () => {
    await refuses(claims({ exp: String(NOW + 60) }), INVALID)
  })
})

describe('nbf (RFC 7519 §4.1.5) with a 5 s tolerance', () => {
  it('accepts a token whose nbf is exactly now + tolerance', async () => {
    await accepts(claims({ nbf: NOW + TOLERANCE }))
  })

  it('refuses a token whose nbf is now + tolerance + 1 s', async () => {
    await refuses(claims({ nbf: NOW + TOLERANCE + 1 }), {
      code: 'ERR_TOKEN_NOT_YET_VALID',
      reason: 'not_yet_valid',
    })
  })
})

describe('iat (RFC 7519 §4.1.6): not in the future beyond the tolerance', () => {
  it('accepts iat exactly now + tolerance', async () => {
    await accepts(claims({ iat: NOW + TOLERANCE, exp: NOW + TOLERANCE + 60 }))
  })

  it('refuses iat at now + tolerance + 1 s', async () => {
    await refuses(claims({ iat: NOW + TOLERANCE + 1, exp: NOW + 60 }), { ...INVALID, reason: 'issued_at' })
  })

  it('refuses a token without iat', async () => {
    await refuses(without('iat'), INVALID)
  })
})

describe('maximum lifetime exp − iat', () => {
  it('accepts an access token living exactly the access TTL', async () => {
    await accepts(claims({ exp: NOW + ACCESS_TTL }))
  })

  it('refuses an access token living the access TTL + 1 s', async () => {
    await refuses(claims({ exp: NOW + ACCESS_TTL + 1 }), { ...INVALID, reason: 'lifetime' })
  })

  it('accepts a refresh token living exactly the refresh TTL, and refuses one living a second longer', async () => {
    const ok = await token(claims({ exp: NOW + REFRESH_TTL, fid: 'f1' }), 'refresh+jwt')
    const long = await token(claims({ exp: NOW + REFRESH_TTL + 1, fid: 'f1' }), 'refresh+jwt')
    await expect(auth.verifyToken(ok, { type: 'refresh' })).resolves.toMatchObject({ type: 'refresh' })
    await expect(auth.verifyToken(long, { type: 'refresh' })).rejects.toMatchObject({
      ...INVALID,
      reason: 'lifetime',
    })
  })
})

describe('sub and jti', () => {
  it('refuses a token without sub', async () => {
    await refuses(without('sub'), INVALID)
  })

  it('refuses an empty sub', async () => {
    await refuses(claims({ sub: '' }), { ...INVALID, reason: 'subject' })
  })

  it('refuses a sub that is not a string', async () => {
    await refuses(claims({ sub: 42 }), { ...INVALID, reason: 'subject' })
  })

  it('refuses a token without jti', async () => {
    await refuses(without('jti'), INVALID)
  })

  it('refuses a jti that is not a string, and one longer than 256 characters', async () => {
    await refuses(claims({ jti: 7 }), { ...INVALID, reason: 'payload' })
    await refuses(claims({ jti: 'j'.repeat(257) }), { ...INVALID, reason: 'payload' })
  })

  it('refuses a fid that is not a non-empty string', async () => {
    await refuses(claims({ fid: 12 }), { ...INVALID, reason: 'payload' })
    await refuses(claims({ fid: '' }), { ...INVALID, reason: 'payload' })
  })
})

describe('iss and aud', () => {
  it('refuses a wrong issuer', async () => {
    await refuses(claims({ iss: 'https://evil.test' }), { ...INVALID, reason: 'issuer' })
  })

  it('refuses a token without iss when an issuer is configured', async () => {
    await refuses(without('iss'), INVALID)
  })

  it('refuses a wrong audience', async () => {
    await refuses(claims({ aud: 'other-api' }), { ...INVALID, reason: 'audience' })
  })

  it('accepts an audience array containing ours', async () => {
    await accepts(claims({ aud: ['other-api', AUDIENCE] }))
  })

  it('refuses an audience array without ours', async () => {
    await refuses(claims({ aud: ['other-api', 'third'] }), { ...INVALID, reason: 'audience' })
  })
})

describe('typ (RFC 9068 §2.1, §4) and token kinds', () => {
  it('accepts at+jwt in the application/ form and in any case', async () => {
    await accepts(claims(), 'application/at+jwt')
    await accepts(claims(), 'AT+JWT')
  })

  it('refuses typ JWT and a missing typ from our own issuer', async () => {
    await refuses(claims(), { code: 'ERR_TOKEN_TYPE' }, 'JWT')
    await refuses(claims(), { code: 'ERR_TOKEN_TYPE' }, null)
  })

  it('refuses a refresh token presented as an access token, and the reverse', async () => {
    const pair = await auth.createTokenPair('alice')
    await expect(auth.verifyToken(pair.refreshToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_TYPE' })
    await expect(auth.verifyToken(pair.accessToken, { type: 'refresh' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_TYPE',
    })
  })

  it('accepts either kind with type "any", reporting which it is', async () => {
    const pair = await auth.createTokenPair('alice')
    await expect(auth.verifyToken(pair.accessToken, { type: 'any' })).resolves.toMatchObject({
      type: 'access',
    })
    await expect(auth.verifyToken(pair.refreshToken, { type: 'any' })).resolves.toMatchObject({
      type: 'refresh',
    })
  })
})

describe('what a verified token exposes', () => {
  it('maps the grant claims onto the result', async () => {
    const issued = await auth.createToken('alice', {
      roles: ['admin'],
      permissions: ['users:read'],
      scope: 'read write',
      clientId: 'web',
      claims: { tenant: 't1' },
    })
    const verified = await auth.verifyToken(issued)
    expect(verified).toMatchObject({
      type: 'access',
      subject: 'alice',
      roles: ['admin'],
      permissions: ['users:read'],
      scopes: ['read', 'write'],
      clientId: 'web',
      familyId: undefined,
      issuedAt: NOW,
      expiresAt: NOW + ACCESS_TTL,
      token: issued,
    })
    expect(verified.claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, tenant: 't1' })
  })

  it('reports roles that are not an array of strings as empty', async () => {
    const verified = await auth.verifyToken(
      await token(claims({ roles: ['admin', 1], permissions: 'users:read' })),
    )
    expect(verified.roles).toEqual([])
    expect(verified.permissions).toEqual([])
  })
})

describe('what verification remembers between tokens', () => {
  it('splits scope on single spaces, drops empty entries, and hands out a frozen list', async () => {
    for (const [scope, expected] of [
      ['read write', ['read', 'write']],
      [' read  write ', ['read', 'write']],
      ['', []],
    ] as const) {
      const first = await auth.verifyToken(await token(claims({ scope })))
      const second = await auth.verifyToken(await token(claims({ scope })))
      expect(first.scopes).toEqual(expected)
      expect(Object.isFrozen(first.scopes)).toBe(true)
      expect(second.scopes).toEqual(expected)
    }
  })

  it('checks the signature of every token whose header it has seen before', async () => {
    await expect(auth.verifyToken(await token(claims()))).resolves.toMatchObject({ subject: 'alice' })
    const otherKey = await hmacKey('x'.repeat(32), 'HS256')
    const sameHeader = await forge(otherKey, 'HS256', { alg: 'HS256', kid: KID, typ: 'at+jwt' }, claims())
    expect(sameHeader.split('.')[0]).toBe((await token(claims())).split('.')[0])
    await expect(auth.verifyToken(sameHeader)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })
  })

  it('still refuses padding, whitespace and the standard alphabet after a header it remembers', async () => {
    const issued = await token(claims())
    await expect(auth.verifyToken(issued)).resolves.toMatchObject({ subject: 'alice' })
    const [header, payload, signature] = issued.split('.') as [string, string, string]
    for (const spelling of [
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}=.${signature}`,
      `${header}.${payload} .${signature}`,
      `${header}.${payload}.${signature}\n`,
      `${header}.\t${payload}.${signature}`,
      `${header}.${payload.replace(/-|_/, (c) => (c === '-' ? '+' : '/'))}.${signature}`,
      `${header}.${payload}.${signature.replace(/-|_/, (c) => (c === '-' ? '+' : '/'))}`,
    ]) {
      if (spelling === issued) continue
      await expect(auth.verifyToken(spelling)).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
        reason: 'malformed',
      })
    }
    // A non-canonical last character after the remembered header (RFC 4648 §3.5).
    const respelled = `${header}.${payload}.${signature.slice(0, -1)}${signature.at(-1) === 'A' ? 'B' : 'A'}`
    await expect(auth.verifyToken(respelled)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
    await expect(auth.verifyToken(issued)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('decodes and checks a header that only begins like a remembered one, or is cut short of it', async () => {
    const issued = await token(claims())
    await expect(auth.verifyToken(issued)).resolves.toMatchObject({ subject: 'alice' })
    const [header, payload, signature] = issued.split('.') as [string, string, string]
    // One more base64url quantum inside the header segment: a different header, which no longer decodes to JSON.
    await expect(auth.verifyToken(`${header}AAAA.${payload}.${signature}`)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'header',
    })
    // The remembered header and its dot alone, and the header cut one quantum short.
    for (const cut of [`${header}.`, `${header.slice(0, -4)}.${payload}.${signature}`]) {
      await expect(auth.verifyToken(cut)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' })
    }
    await expect(auth.verifyToken(issued)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('tells two remembered headers apart: each token is checked under the header it carries', async () => {
    const twoKeys = await authWith({
      keys: [
        { key: SECRET, kid: KID },
        { key: 'o'.repeat(32), kid: 'other' },
      ],
      cache: false,
    })
    const otherKey = await hmacKey('o'.repeat(32), 'HS256')
    const mine = await token(claims())
    const theirs = await forge(otherKey, 'HS256', { alg: 'HS256', kid: 'other', typ: 'at+jwt' }, claims())
    for (let round = 0; round < 3; round++) {
      await expect(twoKeys.verifyToken(mine)).resolves.toMatchObject({ subject: 'alice' })
      await expect(twoKeys.verifyToken(theirs)).resolves.toMatchObject({ subject: 'alice' })
    }
    // The payload and signature of one key under the header of the other: the header picks the key.
    const [, payload, signature] = theirs.split('.')
    const swapped = `${mine.split('.')[0]}.${payload}.${signature}`
    await expect(twoKeys.verifyToken(swapped)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })
  })

  it('forgets the headers of replaced keys: a token of a removed key is refused without cache', async () => {
    const rotating = await authWith({ cache: false })
    const issued = await token(claims())
    await expect(rotating.verifyToken(issued)).resolves.toMatchObject({ subject: 'alice' })
    await rotating.updateKeys({ key: 'n'.repeat(32), kid: 'next' })
    await expect(rotating.verifyToken(issued)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'key',
    })
    await rotating.updateKeys({ key: 'n'.repeat(32), kid: KID })
    await expect(rotating.verifyToken(issued)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })
  })
})

describe('what a verified result lets a handler change', () => {
  it('freezes roles and permissions, in the result and in its claims, so a cached result cannot gain a role', async () => {
    const cached = await authWith({})
    const issued = await token(claims({ roles: ['viewer'], permissions: ['docs:read'] }))
    const first = await cached.verifyToken(issued)
    expect(() => (first.roles as string[]).push('admin')).toThrow(TypeError)
    expect(() => (first.claims.permissions as string[]).push('docs:write')).toThrow(TypeError)
    expect(Object.isFrozen(first.claims)).toBe(true)
    const again = await cached.verifyToken(issued)
    expect(again.roles).toEqual(['viewer'])
    expect(again.permissions).toEqual(['docs:read'])
  })
})

describe('a result without the cache', () => {
  it("is the caller's own: two verifications of one token share no object", async () => {
    const issued = await token(claims({ roles: ['viewer'], permissions: ['docs:read'] }))
    const first = await auth.verifyToken(issued)
    const second = await auth.verifyToken(issued)
    expect(first).not.toBe(second)
    expect(first.claims).not.toBe(second.claims)
    expect(first.roles).not.toBe(second.roles)
    ;(first.roles as string[]).push('admin')
    expect(second.roles).toEqual(['viewer'])
    await expect(auth.verifyToken(issued)).resolves.toMatchObject({ roles: ['viewer'] })
  })
})
