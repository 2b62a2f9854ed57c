import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import type { RevocationStore } from '../revocation/store.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { forge, hmacKey } from '../test-support/jws.js'
import { KID, SECRET } from '../test-support/keys.js'
import { type CachedToken, VerifiedTokenCache } from './cache.js'

// The verified-token cache: a hit skips the signature only; exp, nbf and revocation are checked again.
const clock = frozenClock()
const options = { algorithm: 'HS256', keys: { key: SECRET, kid: KID }, clock: clock.now } as const

/** A cache entry whose result names `subject`. */
const entryFor = (subject: string): CachedToken =>
  ({
    result: { subject },
    ref: { sub: subject, iat: EPOCH },
    exp: EPOCH + 600,
    nbf: undefined,
  }) as unknown as CachedToken

let verify: ReturnType<typeof spyOnVerify>
const spyOnVerify = () => vi.spyOn(crypto.subtle, 'verify')

beforeEach(() => {
  clock.set(EPOCH)
  verify = spyOnVerify()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('the cache is on by default', () => {
  it('verifies the signature of a repeated token once', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    const first = await auth.verifyToken(token)
    const second = await auth.verifyToken(token)
    expect(second).toEqual(first)
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('verifies every time with cache: false', async () => {
    const auth = await createJwtAuth({ ...options, cache: false })
    const token = await auth.createToken('alice')
    for (let i = 0; i < 3; i++) await auth.verifyToken(token)
    expect(verify).toHaveBeenCalledTimes(3)
  })

  it('still checks the expected token type on a hit', async () => {
    const auth = await createJwtAuth(options)
    const { accessToken } = await auth.createTokenPair('alice')
    await auth.verifyToken(accessToken)
    await expect(auth.verifyToken(accessToken, { type: 'refresh' })).rejects.toMatchObject({
      code: 'ERR_TOKEN_TYPE',
    })
    expect(verify).toHaveBeenCalledTimes(1)
  })
})

describe('a cached token is never more trusted than a fresh one', () => {
  it('expires while cached, at exactly exp + tolerance', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    clock.advance(900 + 5 - 1)
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    clock.advance(1)
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('is not yet valid while cached when the clock moves back before nbf − tolerance', async () => {
    const auth = await createJwtAuth(options)
    const payload = { sub: 'alice', iat: EPOCH, nbf: EPOCH + 3, exp: EPOCH + 900, jti: 'nbf-1' }
    const token = await forge(
      await hmacKey(SECRET, 'HS256'),
      'HS256',
      { alg: 'HS256', kid: KID, typ: 'at+jwt' },
      payload,
    )
    await auth.verifyToken(token)
    clock.set(EPOCH - 3)
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_NOT_YET_VALID' })
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('is refused once revoked while cached', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    await auth.revokeToken(token)
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('is refused once its family is revoked in the store while cached', async () => {
    const auth = await createJwtAuth(options)
    const { accessToken } = await auth.createTokenPair('alice')
    const { familyId } = await auth.verifyToken(accessToken)
    await auth.revocation.revokeFamily(familyId!, EPOCH + 3600)
    await expect(auth.verifyToken(accessToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('is refused once its subject is revoked while cached', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    await auth.revokeSubject('alice')
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
  })

  it('is refused once its key is removed by updateKeys', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    await auth.updateKeys({ key: 'another-secret-of-32-bytes-000000', kid: 'next' })
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID', reason: 'key' })
  })

  it('is verified again after updateKeys keeps its key, since the cache was cleared', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    await auth.updateKeys([
      { key: 'another-secret-of-32-bytes-000000', kid: 'next' },
      { key: SECRET, kid: KID },
    ])
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    expect(verify).toHaveBeenCalledTimes(2)
  })
})

/** A memory store whose isRevoked, once armed, signals `reached` and waits until released. */
function gatedStore() {
  const store: RevocationStore = new MemoryRevocationStore({ clock: clock.now })
  const isRevoked = store.isRevoked.bind(store)
  let reached: (() => void) | undefined
  let release: (() => void) | undefined
  store.isRevoked = (token) => {
    if (reached === undefined) return isRevoked(token)
    reached()
    reached = undefined
    return new Promise<void>((resolve) => {
      release = resolve
    }).then(() => isRevoked(token))
  }
  return {
    store,
    arm: () =>
      new Promise<void>((resolve) => {
        reached = resolve
      }),
    release: () => release?.(),
  }
}

describe('a verification in flight while the keys change', () => {
  it('does not leave the token cached once its key is removed', async () => {
    const gate = gatedStore()
    const auth = await createJwtAuth({ ...options, revocation: gate.store })
    const token = await auth.createToken('alice')
    const reached = gate.arm()
    const inflight = auth.verifyToken(token)
    await reached
    await auth.updateKeys({ key: 'another-secret-of-32-bytes-000000', kid: 'next' })
    gate.release()
    await expect(inflight).resolves.toMatchObject({ subject: 'alice' })
    await expect(auth.verifyToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID', reason: 'key' })
  })
})

describe('the size bound', () => {
  it('keeps at most maxEntries tokens: after N + k distinct tokens the oldest are verified again', async () => {
    const auth = await createJwtAuth({ ...options, cache: { maxEntries: 3 } })
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => auth.createToken(`user-${i}`)))
    for (const token of tokens) await auth.verifyToken(token)
    expect(verify).toHaveBeenCalledTimes(5)
    for (const token of tokens.slice(2)) await auth.verifyToken(token)
    expect(verify).toHaveBeenCalledTimes(5)
    await auth.verifyToken(tokens[0]!)
    expect(verify).toHaveBeenCalledTimes(6)
  })

  it('evicts the least recently used entry, not the least recently inserted', async () => {
    const auth = await createJwtAuth({ ...options, cache: { maxEntries: 3 } })
    const [t1, t2, t3, t4] = await Promise.all(
      Array.from({ length: 4 }, (_, i) => auth.createToken(`user-${i}`)),
    )
    for (const token of [t1, t2, t3, t1, t4]) await auth.verifyToken(token!)
    expect(verify).toHaveBeenCalledTimes(4)
    await auth.verifyToken(t1!)
    expect(verify).toHaveBeenCalledTimes(4)
    await auth.verifyToken(t2!)
    expect(verify).toHaveBeenCalledTimes(5)
  })

  it('does not cache a correctly signed token that failed a claim rule', async () => {
    const auth = await createJwtAuth(options)
    const payload = { sub: 'alice', iat: EPOCH, exp: EPOCH + 901, jti: 'too-long' }
    const token = await forge(
      await hmacKey(SECRET, 'HS256'),
      'HS256',
      { alg: 'HS256', kid: KID, typ: 'at+jwt' },
      payload,
    )
    for (let i = 0; i < 2; i++) {
      await expect(auth.verifyToken(token)).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
        reason: 'lifetime',
      })
    }
    expect(verify).toHaveBeenCalledTimes(2)
  })
})

describe('tokens that end alike', () => {
  /** `token` with another payload and the same signature: its last characters are the genuine one's. */
  const samesig = (token: string, claims: object) => {
    const [header, , signature] = token.split('.')
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
  }

  it("refuses a token that shares a cached token's signature but not its payload", async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    await auth.verifyToken(token)
    const claims = { sub: 'mallory', iat: EPOCH, exp: EPOCH + 600, jti: 'j' }
    await expect(auth.verifyToken(samesig(token, claims))).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })
    const now = auth.verifyTokenNow(samesig(token, claims))
    expect(now).toBeInstanceOf(Promise)
    await expect(now).rejects.toMatchObject({ reason: 'signature' })
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    // The genuine token once, the other each time it came (a forgery is remembered from its second refusal).
    expect(verify).toHaveBeenCalledTimes(3)
  })

  it('answers a lookup only with the entry of that very token, whatever it shares with another', () => {
    const cache = new VerifiedTokenCache(10)
    const end = 'S'.repeat(64)
    const [a, b] = [`a.a.${end}`, `b.b.${end}`]
    cache.set(a, entryFor('a'))
    expect(cache.get(b)).toBeUndefined()
    expect(cache.has(b)).toBe(false)
    cache.delete(b)
    expect(cache.get(a)?.result.subject).toBe('a')
    cache.set(b, entryFor('b'))
    expect(cache.get(b)?.result.subject).toBe('b')
  })

  it('misses, without throwing, for a value that is not a string (verifyToken refuses it next)', async () => {
    const cache = new VerifiedTokenCache(10)
    for (const value of [undefined, null, 42, { toString: [] }, new Uint8Array(3)]) {
      expect(cache.get(value as unknown as string)).toBeUndefined()
      expect(cache.has(value as unknown as string)).toBe(false)
    }
    const auth = await createJwtAuth(options)
    await expect(auth.verifyToken({ toString: [] } as unknown as string)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
    })
  })
})

describe('a token whose signature failed', () => {
  /** `token` with one signature character changed: it parses, and its signature fails. */
  const forged = (token: string) => {
    const [header, payload, signature] = token.split('.')
    return `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`
  }

  it('is refused from memory once refused twice, with the same error and the same event', async () => {
    const events: unknown[] = []
    const auth = await createJwtAuth({ ...options, onEvent: (event) => events.push(event) })
    const bad = forged(await auth.createToken('alice'))
    for (let i = 0; i < 4; i++) {
      await expect(auth.verifyToken(bad)).rejects.toMatchObject({
        code: 'ERR_TOKEN_INVALID',
        reason: 'signature',
      })
    }
    expect(verify).toHaveBeenCalledTimes(2)
    const failures = events.filter((event) => (event as { type: string }).type === 'token.verify_failed')
    expect(failures).toHaveLength(4)
    expect(new Set(failures.map((event) => JSON.stringify(event))).size).toBe(1)
  })

  it('never keeps the genuine token it was forged from out', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    for (let i = 0; i < 3; i++)
      await expect(auth.verifyToken(forged(token))).rejects.toMatchObject({ reason: 'signature' })
    expect(verify).toHaveBeenCalledTimes(2)
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('is checked again once the keys change: the new keys may verify it', async () => {
    const auth = await createJwtAuth(options)
    const other = await createJwtAuth({
      ...options,
      keys: { key: 'the-next-secret-of-32-bytes-00000', kid: KID },
    })
    const token = await other.createToken('alice')
    for (let i = 0; i < 3; i++)
      await expect(auth.verifyToken(token)).rejects.toMatchObject({ reason: 'signature' })
    expect(verify).toHaveBeenCalledTimes(2)
    await auth.updateKeys({ key: 'the-next-secret-of-32-bytes-00000', kid: KID })
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('is checked every time with cache: false', async () => {
    const auth = await createJwtAuth({ ...options, cache: false })
    const bad = forged(await auth.createToken('alice'))
    for (let i = 0; i < 3; i++)
      await expect(auth.verifyToken(bad)).rejects.toMatchObject({ reason: 'signature' })
    expect(verify).toHaveBeenCalledTimes(3)
  })

  it('is remembered among a bounded few: a flood of distinct forgeries pushes earlier ones out', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    const [header, payload, signature] = token.split('.')
    // Distinct signatures of the same length, numbered near their end (where the memory's key is
    // read), the last two characters kept: each parses, and each fails.
    const flood = Array.from(
      { length: 2048 },
      (_, i) =>
        `${header}.${payload}.${signature!.slice(0, -6)}${i.toString(36).padStart(4, '0')}${signature!.slice(-2)}`,
    )
    const refuseAll = async () => {
      for (const bad of flood)
        await expect(auth.verifyToken(bad)).rejects.toMatchObject({ reason: 'signature' })
    }
    await refuseAll()
    expect(verify).toHaveBeenCalledTimes(2048)
    // Each was refused once: none is kept, so each is checked again (and now may be remembered).
    await refuseAll()
    expect(verify).toHaveBeenCalledTimes(4096)
    // Of the whole flood at most 1,024 are remembered: the rest are checked again, and refused the same way.
    await refuseAll()
    const checkedAgain = verify.mock.calls.length - 4096
    expect(checkedAgain).toBeGreaterThanOrEqual(1024)
    expect(checkedAgain).toBeLessThan(2048)
  })

  it('takes the place of a remembered forgery that ends the same way, and neither is refused as the other', async () => {
    const auth = await createJwtAuth(options)
    const token = await auth.createToken('alice')
    const [header, payload, signature] = token.split('.')
    // Different first characters, the same last ones: the memory keeps one of the two at a time.
    const [a, b] = ['A', 'B', 'C'].filter((c) => c !== signature![0])
    const first = `${header}.${payload}.${a}${signature!.slice(1)}`
    const second = `${header}.${payload}.${b}${signature!.slice(1)}`
    // The first is noted, the second (same key, a second refusal) kept, then answered from memory;
    // the first comes back unremembered, is checked again and takes the slot, and so on in turn.
    for (const bad of [first, second, second, first, first, second])
      await expect(auth.verifyToken(bad)).rejects.toMatchObject({ reason: 'signature' })
    expect(verify).toHaveBeenCalledTimes(4)
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('is not remembered when longer than 2 KiB: memory stays bounded by size too', async () => {
    const auth = await createJwtAuth(options)
    const bad = forged(await auth.createToken('alice', { claims: { padding: 'x'.repeat(2048) } }))
    for (let i = 0; i < 3; i++)
      await expect(auth.verifyToken(bad)).rejects.toMatchObject({ reason: 'signature' })
    expect(verify).toHaveBeenCalledTimes(3)
  })

  it('is not remembered when it failed for another reason: a correctly signed token past a claim rule', async () => {
    const auth = await createJwtAuth({ ...options, audience: 'api' })
    const other = await createJwtAuth({ ...options, audience: 'elsewhere' })
    const token = await other.createToken('alice')
    for (let i = 0; i < 3; i++)
      await expect(auth.verifyToken(token)).rejects.toMatchObject({ reason: 'audience' })
    expect(verify).toHaveBeenCalledTimes(3)
  })
})
