import { exportJWK } from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { b64, decodeParts, forge, hmacKey } from '../test-support/jws.js'
import { KID, SECRET, type TestKeyPair, testKeyPair } from '../test-support/keys.js'

// RFC 8725 §2: each known attack on JWT verifiers, one test each, against verifyToken.
const ISSUER = 'https://issuer.test'
const AUDIENCE = 'api'
const clock = frozenClock()

const hsAuth = await createJwtAuth({
  algorithm: 'HS256',
  keys: { key: SECRET, kid: KID },
  issuer: ISSUER,
  audience: AUDIENCE,
  clock: clock.now,
})
const hsKey = await hmacKey(SECRET, 'HS256')

let rsa: TestKeyPair
let attacker: TestKeyPair
let rsAuth: Awaited<ReturnType<typeof createJwtAuth>>

beforeAll(async () => {
  ;[rsa, attacker] = await Promise.all([testKeyPair('RS256'), testKeyPair('RS256')])
  rsAuth = await createJwtAuth({
    algorithm: 'RS256',
    keys: { key: rsa.pair, kid: 'rsa-1' },
    issuer: ISSUER,
    audience: AUDIENCE,
    clock: clock.now,
  })
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** A claim set that passes every rule at the frozen time. */
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'alice',
    iat: EPOCH,
    exp: EPOCH + 900,
    jti: crypto.randomUUID(),
    ...extra,
  }
}

const ACCESS = { alg: 'HS256', kid: KID, typ: 'at+jwt' }
const invalid = { code: 'ERR_TOKEN_INVALID' }

describe('the control case', () => {
  it('accepts a forged-by-hand token signed with the real key, so refusals below are about the attack', async () => {
    const token = await forge(hsKey, 'HS256', ACCESS, claims())
    await expect(hsAuth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice', type: 'access' })
  })
})

describe('RFC 8725 §2.1: alg "none"', () => {
  for (const none of ['none', 'None', 'NONE', 'nOnE']) {
    it(`refuses alg "${none}" with an empty signature`, async () => {
      const token = `${b64(JSON.stringify({ alg: none, typ: 'at+jwt' }))}.${b64(JSON.stringify(claims()))}.`
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'malformed' })
    })

    it(`refuses alg "${none}" even with a valid HMAC over the token`, async () => {
      const token = await forge(hsKey, 'HS256', { ...ACCESS, alg: none }, claims())
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'algorithm' })
    })
  }
})

describe('RFC 8725 §2.1: HS256 signed with the RSA public key (algorithm confusion)', () => {
  /** PKCS#1 RSAPublicKey is the bit string inside a 2048-bit key's SPKI, after a fixed 24-byte prefix. */
  async function pkcs1Pem(publicKey: CryptoKey): Promise<string> {
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey))
    expect(Array.from(spki.subarray(0, 4))).toEqual([0x30, 0x82, 0x01, 0x22])
    const body = btoa(String.fromCharCode(...spki.subarray(24)))
      .match(/.{1,64}/g)!
      .join('\n')
    return `-----BEGIN RSA PUBLIC KEY-----\n${body}\n-----END RSA PUBLIC KEY-----\n`
  }

  const forms: [string, () => Promise<string>][] = [
    ['SPKI PEM', async () => rsa.spki],
    ['PKCS#1 PEM', () => pkcs1Pem(rsa.pair.publicKey)],
    ['JWK JSON bytes', async () => JSON.stringify(rsa.publicJwk)],
  ]
  for (const [form, material] of forms) {
    for (const kid of ['rsa-1', undefined]) {
      it(`refuses a token HMAC-signed with the public key as ${form} (${kid ? 'with' : 'without'} kid) before any crypto`, async () => {
        const key = await hmacKey(await material(), 'HS256')
        const token = await forge(
          key,
          'HS256',
          { alg: 'HS256', typ: 'at+jwt', ...(kid && { kid }) },
          claims(),
        )
        const verify = vi.spyOn(crypto.subtle, 'verify')
        await expect(rsAuth.verifyToken(token)).rejects.toMatchObject({
          ...invalid,
          reason: kid ? 'key' : 'algorithm',
        })
        expect(verify).not.toHaveBeenCalled()
      })
    }
  }
})

describe('RFC 8725 §2.1: another algorithm over the pinned key', () => {
  it('refuses PS256 signed with the RS256 key', async () => {
    const { alg: _alg, ...jwk } = await exportJWK(rsa.pair.privateKey)
    const pss = await crypto.subtle.importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-256' }, false, [
      'sign',
    ])
    const token = await forge(pss, 'PS256', { alg: 'PS256', kid: 'rsa-1', typ: 'at+jwt' }, claims())
    await expect(rsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'key' })
  })

  it('accepts the same claims signed RS256 with that key (the control)', async () => {
    const token = await forge(
      rsa.pair.privateKey,
      'RS256',
      { alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' },
      claims(),
    )
    await expect(rsAuth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })
})

describe('RFC 8725 §2.1, §3.10: keys named by the token itself', () => {
  it('refuses an embedded jwk carrying the attacker key', async () => {
    const header = { alg: 'RS256', typ: 'at+jwt', jwk: attacker.publicJwk }
    const token = await forge(attacker.pair.privateKey, 'RS256', header, claims())
    await expect(rsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
  })

  it('refuses an embedded jwk even next to the real kid', async () => {
    const header = { alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt', jwk: attacker.publicJwk }
    const token = await forge(rsa.pair.privateKey, 'RS256', header, claims())
    await expect(rsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
  })

  for (const parameter of ['jku', 'x5u']) {
    it(`refuses ${parameter} and fetches nothing`, async () => {
      const fetch = vi.fn(async () => Response.json({ keys: [{ ...attacker.publicJwk, kid: 'evil' }] }))
      vi.stubGlobal('fetch', fetch)
      const header = { alg: 'RS256', kid: 'evil', typ: 'at+jwt', [parameter]: 'https://attacker.test/keys' }
      const token = await forge(attacker.pair.privateKey, 'RS256', header, claims())
      await expect(rsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
      expect(fetch).toHaveBeenCalledTimes(0)
    })
  }
})

describe('RFC 8725 §2.1: hostile kid values', () => {
  const refusedAsUnknown: [string, string][] = [
    ['path traversal', '../../dev/null'],
    ['SQL injection', "' OR 1=1 --"],
    ['prototype-named', '__proto__'],
    ['constructor-named', 'constructor'],
  ]
  for (const [what, kid] of refusedAsUnknown) {
    it(`refuses a ${what} kid as an unknown key`, async () => {
      const token = await forge(hsKey, 'HS256', { ...ACCESS, kid }, claims())
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'key' })
    })
  }

  it('refuses a 10 kB kid in the header check, even under a raised size limit', async () => {
    const roomy = await createJwtAuth({
      algorithm: 'HS256',
      keys: { key: SECRET, kid: KID },
      maxTokenLength: 65_536,
      clock: clock.now,
      issuer: ISSUER,
      audience: AUDIENCE,
    })
    const token = await forge(hsKey, 'HS256', { ...ACCESS, kid: 'k'.repeat(10_240) }, claims())
    await expect(roomy.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
    await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'too_large' })
  })

  for (const [what, kid] of [
    ['number', 1],
    ['object', { $ne: null }],
    ['null', null],
  ] as const) {
    it(`refuses a ${what} kid`, async () => {
      const token = await forge(hsKey, 'HS256', { ...ACCESS, kid }, claims())
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
    })
  }
})

describe('RFC 8725 §3.10 and RFC 7515 §4.1.11: crit', () => {
  it('refuses a signed token with crit naming a parameter', async () => {
    const token = await forge(hsKey, 'HS256', { ...ACCESS, crit: ['exp'], exp: EPOCH + 900 }, claims())
    await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
  })

  it('refuses b64: false with crit (RFC 7797)', async () => {
    const token = await forge(hsKey, 'HS256', { ...ACCESS, b64: false, crit: ['b64'] }, claims())
    await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
  })
})

describe('stripped, truncated and tampered tokens', () => {
  it('refuses a token whose signature is stripped', async () => {
    const [h, p] = (await forge(hsKey, 'HS256', ACCESS, claims())).split('.')
    await expect(hsAuth.verifyToken(`${h}.${p}.`)).rejects.toMatchObject({ ...invalid, reason: 'malformed' })
    await expect(hsAuth.verifyToken(`${h}.${p}`)).rejects.toMatchObject({ ...invalid, reason: 'malformed' })
  })

  it('refuses a token whose signature is truncated to a canonical length', async () => {
    const token = await forge(hsKey, 'HS256', ACCESS, claims())
    await expect(hsAuth.verifyToken(token.slice(0, -3))).rejects.toMatchObject({
      ...invalid,
      reason: 'signature',
    })
  })

  it('refuses a token whose signature loses one character', async () => {
    const token = await forge(hsKey, 'HS256', ACCESS, claims())
    await expect(hsAuth.verifyToken(token.slice(0, -1))).rejects.toMatchObject(invalid)
  })

  it('refuses a payload with one claim changed and re-encoded', async () => {
    const token = await forge(hsKey, 'HS256', ACCESS, claims({ roles: ['reader'] }))
    const [h, , s] = token.split('.')
    const { payload } = decodeParts(token)
    const tampered = `${h}.${b64(JSON.stringify({ ...payload, roles: ['admin'] }))}.${s}`
    await expect(hsAuth.verifyToken(tampered)).rejects.toMatchObject({ ...invalid, reason: 'signature' })
  })

  for (const [what, json] of [
    ['an array', '[1,2]'],
    ['a string', '"alice"'],
    ['a number', '42'],
    ['null', 'null'],
  ]) {
    it(`refuses a correctly signed payload that is ${what}`, async () => {
      const token = await forge(hsKey, 'HS256', ACCESS, json, { rawPayload: true })
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject(invalid)
    })
  }
})

describe('headers and spellings Covet does not process', () => {
  const refusedHeaders: [string, Record<string, unknown>, string][] = [
    ['an empty kid', { ...ACCESS, kid: '' }, 'header'],
    ['a typ that is not a string', { ...ACCESS, typ: 1 }, 'header'],
    ['an alg that is not a string', { ...ACCESS, alg: ['HS256'] }, 'algorithm'],
    ['a nested JWT (cty)', { ...ACCESS, cty: 'JWT' }, 'header'],
    ['a certificate chain (x5c)', { ...ACCESS, x5c: ['MIIB'] }, 'header'],
    ['compression (zip)', { ...ACCESS, zip: 'DEF' }, 'header'],
  ]
  for (const [what, header, reason] of refusedHeaders) {
    it(`refuses a correctly signed token with ${what}`, async () => {
      const token = await forge(hsKey, 'HS256', header, claims())
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason })
    })
  }

  it('refuses a header that is a JSON array or string', async () => {
    for (const header of ['["HS256"]', '"HS256"']) {
      const token = `${b64(header)}.${b64(JSON.stringify(claims()))}.c2ln`
      await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'header' })
    }
  })

  it('refuses padding, whitespace and standard base64 characters around a valid token', async () => {
    const token = await forge(hsKey, 'HS256', ACCESS, claims())
    const [h, p, s] = token.split('.') as [string, string, string]
    const spellings = [
      `${token}=`,
      ` ${token}`,
      `${token}\n`,
      `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`,
    ]
    for (const spelling of spellings.filter((x) => x !== token)) {
      await expect(hsAuth.verifyToken(spelling)).rejects.toMatchObject({ ...invalid, reason: 'malformed' })
    }
    await expect(hsAuth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
  })

  it('refuses a character outside base64url in any segment as malformed, after the same header verified', async () => {
    const token = await forge(hsKey, 'HS256', ACCESS, claims())
    await expect(hsAuth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
    const [h, p, s] = token.split('.') as [string, string, string]
    const at = (segment: string, character: string) => `${segment.slice(0, 4)}${character}${segment.slice(5)}`
    for (const character of ['!', '%', '*', '\u00e9', '\u0000', '\u2028', 'A=', '\v']) {
      for (const spelling of [
        `${at(h, character)}.${p}.${s}`,
        `${h}.${at(p, character)}.${s}`,
        `${h}.${p}.${at(s, character)}`,
      ]) {
        // Twice: a spelling refused once is refused the same way again, never from memory as another reason.
        for (let i = 0; i < 2; i++) {
          await expect(hsAuth.verifyToken(spelling)).rejects.toMatchObject({
            ...invalid,
            reason: 'malformed',
          })
        }
      }
    }
  })

  it('reads a duplicated alg as JSON does (the last one), so "none" last is refused', async () => {
    const header = b64('{"alg":"HS256","kid":"test-key-1","typ":"at+jwt","alg":"none"}')
    const input = `${header}.${b64(JSON.stringify(claims()))}`
    const mac = await crypto.subtle.sign('HMAC', hsKey, new TextEncoder().encode(input))
    const token = `${input}.${b64(new Uint8Array(mac))}`
    await expect(hsAuth.verifyToken(token)).rejects.toMatchObject({ ...invalid, reason: 'algorithm' })
  })
})
