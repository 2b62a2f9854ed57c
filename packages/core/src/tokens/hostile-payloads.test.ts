import { compactVerify } from 'jose'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { forge, hmacKey } from '../test-support/jws.js'
import { KID, SECRET } from '../test-support/keys.js'

// RFC 8725 §2: tokens that are genuinely signed but built to slip past what comes after the signature.
const ISSUER = 'https://issuer.test'
const clock = frozenClock()
const options = {
  algorithm: 'HS256',
  keys: { key: SECRET, kid: KID },
  issuer: ISSUER,
  clock: clock.now,
} as const
const auth = await createJwtAuth(options)
const hsKey = await hmacKey(SECRET, 'HS256')
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

afterEach(() => {
  vi.restoreAllMocks()
})

/** The same token with the last character's unused low bit set: another spelling of the same bytes. */
function respell(token: string): string {
  const last = BASE64URL.indexOf(token.at(-1)!)
  return token.slice(0, -1) + BASE64URL[last ^ 1]
}

describe('non-canonical base64url spellings of a revoked token', () => {
  it('still verifies with raw jose, so the spelling is a real bypass candidate', async () => {
    const token = await auth.createToken('alice')
    const variant = respell(token)
    expect(variant).not.toBe(token)
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(SECRET),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    )
    await expect(compactVerify(variant, key, { algorithms: ['HS256'] })).resolves.toBeDefined()
  })

  it('keeps the revocation: verifyToken refuses the respelled token', async () => {
    const token = await auth.createToken('alice')
    await auth.revokeToken(token)
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    const error = await auth.verifyToken(respell(token)).catch((e: unknown) => e)
    expect(['ERR_TOKEN_INVALID', 'ERR_TOKEN_REVOKED']).toContain((error as { code?: string }).code)
  })

  it('keeps the revocation when the respelled token is presented first, before the original is cached', async () => {
    const fresh = await createJwtAuth(options)
    const token = await fresh.createToken('alice')
    await fresh.revokeToken(token)
    const error = await fresh.verifyToken(respell(token)).catch((e: unknown) => e)
    expect(['ERR_TOKEN_INVALID', 'ERR_TOKEN_REVOKED']).toContain((error as { code?: string }).code)
  })

  it('refuses the respelling of an unrevoked token too, as malformed', async () => {
    const token = await auth.createToken('alice')
    await expect(auth.verifyToken(respell(token))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'malformed',
    })
  })
})

describe('a 200 kB token', () => {
  const blob = 'x'.repeat(200_000)

  it('is refused before any cryptography', async () => {
    const token = await auth.createToken('alice', { claims: { blob } })
    expect(token.length).toBeGreaterThan(200_000)
    const verify = vi.spyOn(crypto.subtle, 'verify')
    await expect(auth.verifyToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'too_large',
    })
    expect(verify).not.toHaveBeenCalled()
  })

  it('is otherwise a valid token: under a 1 MiB limit it verifies, through crypto.subtle.verify', async () => {
    const roomy = await createJwtAuth({ ...options, maxTokenLength: 1_048_576 })
    const token = await roomy.createToken('alice', { claims: { blob } })
    const verify = vi.spyOn(crypto.subtle, 'verify')
    await expect(roomy.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('is refused at exactly one character over the limit, and accepted at the limit', async () => {
    const token = await auth.createToken('alice')
    const exact = await createJwtAuth({ ...options, maxTokenLength: token.length })
    const under = await createJwtAuth({ ...options, maxTokenLength: token.length - 1 })
    await expect(exact.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    await expect(under.verifyToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'too_large',
    })
  })
})

describe('prototype keys in a signed payload', () => {
  const PAYLOAD =
    `{"iss":"${ISSUER}","sub":"mallory","iat":${EPOCH},"exp":${EPOCH + 900},"jti":"proto-1",` +
    '"tenant":"t1","__proto__":{"roles":["admin"],"permissions":["*"],"scope":"admin","isAdmin":true},' +
    '"constructor":{"prototype":{"isAdmin":true}}}'
  const header = { alg: 'HS256', kid: KID, typ: 'at+jwt' }

  function expectNoPollution(): void {
    const probe = {} as Record<string, unknown>
    expect(probe.isAdmin).toBeUndefined()
    expect(probe.roles).toBeUndefined()
    expect(Object.hasOwn(Object.prototype, 'isAdmin')).toBe(false)
  }

  it('grants nothing: roles, permissions and scopes stay empty and Object.prototype is untouched', async () => {
    const token = await forge(hsKey, 'HS256', header, PAYLOAD, { rawPayload: true })
    const verified = await auth.verifyToken(token)
    expect(verified.subject).toBe('mallory')
    expect(verified.roles).toEqual([])
    expect(verified.permissions).toEqual([])
    expect(verified.scopes).toEqual([])
    expect((verified.claims as Record<string, unknown>).isAdmin).toBeUndefined()
    expectNoPollution()
  })

  it('grants nothing through a custom claims schema either', async () => {
    const typed = await createJwtAuth({ ...options, claims: v.object({ tenant: v.string() }) })
    const token = await forge(hsKey, 'HS256', header, PAYLOAD, { rawPayload: true })
    const verified = await typed.verifyToken(token)
    expect(verified.claims.tenant).toBe('t1')
    expect(verified.roles).toEqual([])
    expect((verified.claims as Record<string, unknown>).roles).toBeUndefined()
    expect((verified.claims as Record<string, unknown>).isAdmin).toBeUndefined()
    expectNoPollution()
  })

  it('grants nothing after a refresh: the rotated access token carries no roles', async () => {
    const refresh = PAYLOAD.replace('"jti":"proto-1"', '"jti":"proto-2","fid":"family-proto"')
    const token = await forge(hsKey, 'HS256', { ...header, typ: 'refresh+jwt' }, refresh, {
      rawPayload: true,
    })
    const pair = await auth.refreshAccessToken(token)
    const access = await auth.verifyToken(pair.accessToken)
    expect(access.roles).toEqual([])
    expect(access.permissions).toEqual([])
    expect(access.scopes).toEqual([])
    expect(access.claims).toMatchObject({ tenant: 't1' })
    expect((access.claims as Record<string, unknown>).isAdmin).toBeUndefined()
    expectNoPollution()
  })
})
