import { beforeEach, describe, expect, it } from 'vitest'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { dpopTestKey } from '../test-support/dpop.js'
import { b64, forge, hmacKey } from '../test-support/jws.js'
import { tokenHash } from './token-hash.js'
import { createDpopVerifier, type DpopVerifier } from './verifier.js'

const clock = frozenClock()
const URL_ME = 'https://api.test/me'
const key = await dpopTestKey('ES256')
const other = await dpopTestKey('ES256')
let store: MemoryRevocationStore
let dpop: DpopVerifier

function request(proofs: string | string[] | undefined, url = URL_ME, method = 'GET'): Request {
  const headers = new Headers()
  for (const proof of proofs === undefined ? [] : [proofs].flat()) headers.append('dpop', proof)
  return new Request(url, { method, headers })
}

const at = (offset = 0) => ({ method: 'GET', url: URL_ME, issuedAt: EPOCH + offset })

function refused(reason: string) {
  return { code: 'ERR_DPOP_PROOF_INVALID', status: 401, reason }
}

beforeEach(() => {
  clock.set(EPOCH)
  store = new MemoryRevocationStore({ clock: clock.now })
  dpop = createDpopVerifier({ store, clock: clock.now })
})

describe('a DPoP proof that passes every check of RFC 9449 §4.3', () => {
  it('is accepted, naming the thumbprint of its key, its jti and iat', async () => {
    const proof = await key.proof(at())
    const checked = await dpop.verify(request(proof))
    expect(checked).toMatchObject({ jkt: key.jkt, iat: EPOCH, jwk: key.jwk })
    expect(checked?.jti).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('is accepted for the same URL written differently (case, default port, dot segments, escapes, query)', async () => {
    const proof = await key.forge(at(), { claims: { htu: 'HTTPS://API.test:443/a/../%6De' } })
    await expect(dpop.verify(request(proof, 'https://api.test/me?page=2#top'))).resolves.toMatchObject({
      jkt: key.jkt,
    })
  })

  it('is accepted with every asymmetric algorithm family', async () => {
    for (const alg of ['ES384', 'EdDSA', 'PS256', 'RS256'] as const) {
      const signer = await dpopTestKey(alg)
      await expect(dpop.verify(request(await signer.proof(at())))).resolves.toMatchObject({ jkt: signer.jkt })
    }
  })

  it('is not looked for when the request has no DPoP header', async () => {
    await expect(dpop.verify(request(undefined))).resolves.toBeUndefined()
  })
})

describe('a DPoP proof refused (RFC 9449 §4.3)', () => {
  it('for another HTTP method', async () => {
    const proof = await key.proof({ ...at(), method: 'POST' })
    await expect(dpop.verify(request(proof))).rejects.toMatchObject(refused('method'))
  })

  it('for another URL: path, host, scheme or port', async () => {
    for (const htu of [
      'https://api.test/admin',
      'https://evil.test/me',
      'http://api.test/me',
      'https://api.test:8443/me',
      'https://user@api.test/me',
    ]) {
      const proof = await key.forge(at(), { claims: { htu } })
      await expect(dpop.verify(request(proof)), htu).rejects.toMatchObject(refused('url'))
    }
  })

  it('issued more than maxAge plus the tolerance ago, or further than the tolerance in the future', async () => {
    await expect(dpop.verify(request(await key.proof(at(-71))))).rejects.toMatchObject(refused('issued_at'))
    await expect(dpop.verify(request(await key.proof(at(11))))).rejects.toMatchObject(refused('issued_at'))
    await expect(dpop.verify(request(await key.proof(at(-70))))).resolves.toBeDefined()
    await expect(dpop.verify(request(await key.proof(at(10))))).resolves.toBeDefined()
  })

  it('presented a second time (its jti is spent)', async () => {
    const proof = await key.proof(at())
    await dpop.verify(request(proof))
    await expect(dpop.verify(request(proof))).rejects.toMatchObject(refused('replayed'))
  })

  it('whose ath is the hash of another access token, or missing', async () => {
    const proof = await key.proof({ ...at(), accessToken: 'one-token' })
    await expect(dpop.verify(request(proof), { accessToken: 'another-token' })).rejects.toMatchObject(
      refused('token_hash'),
    )
    const none = await key.proof(at())
    await expect(dpop.verify(request(none), { accessToken: 'one-token' })).rejects.toMatchObject(
      refused('token_hash'),
    )
  })

  it('signed with a key other than the one the token is bound to: invalid_token, and not spent', async () => {
    const proof = await other.proof(at())
    await expect(dpop.verify(request(proof), { jkt: key.jkt })).rejects.toMatchObject({
      code: 'ERR_TOKEN_BINDING',
      status: 401,
      bearerError: 'invalid_token',
    })
    await expect(dpop.verify(request(proof), { jkt: other.jkt })).resolves.toMatchObject({ jkt: other.jkt })
  })

  it('signed with HMAC (a jwk of kty oct) or with alg none', async () => {
    const secret = new Uint8Array(32).fill(7)
    const hmac = await forge(
      await hmacKey(secret, 'HS256'),
      'HS256',
      {
        typ: 'dpop+jwt',
        alg: 'HS256',
        jwk: { kty: 'oct', k: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc' },
      },
      { jti: 'j1', htm: 'GET', htu: URL_ME, iat: EPOCH },
    )
    await expect(dpop.verify(request(hmac))).rejects.toMatchObject(refused('algorithm'))
    const [, body] = (await key.proof(at())).split('.')
    const none = `${b64(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: key.jwk }))}.${body}.`
    await expect(dpop.verify(request(none))).rejects.toMatchObject(refused('malformed'))
    const noneSigned = await key.forge(at(), { header: { alg: 'none' } })
    await expect(dpop.verify(request(noneSigned))).rejects.toMatchObject(refused('algorithm'))
  })

  it('signed with an algorithm the verifier was not configured for', async () => {
    const only = createDpopVerifier({ store, clock: clock.now, algorithms: ['EdDSA'] })
    await expect(only.verify(request(await key.proof(at())))).rejects.toMatchObject(refused('algorithm'))
  })

  it('whose jwk carries private key material', async () => {
    const { d } = (await import('jose').then((jose) => jose.exportJWK(key.pair.privateKey))) as { d: string }
    const proof = await key.forge(at(), { header: { jwk: { ...key.jwk, d } } })
    await expect(dpop.verify(request(proof))).rejects.toMatchObject(refused('key'))
  })

  it('whose signature is not by its jwk', async () => {
    const proof = await key.forge(at(), { header: { jwk: other.jwk } })
    await expect(dpop.verify(request(proof))).rejects.toMatchObject(refused('signature'))
  })

  it('whose RSA key is larger than 4096 bits or has a huge exponent', async () => {
    const rsa = await dpopTestKey('RS256')
    const big = await rsa.forge(at(), { header: { jwk: { ...rsa.jwk, n: 'A'.repeat(700) } } })
    await expect(dpop.verify(request(big))).rejects.toMatchObject(refused('key'))
    const exponent = await rsa.forge(at(), { header: { jwk: { ...rsa.jwk, e: 'A'.repeat(40) } } })
    await expect(dpop.verify(request(exponent))).rejects.toMatchObject(refused('key'))
  })

  it('whose jwk is meant for encryption, names another algorithm, or does not fit the algorithm used', async () => {
    for (const jwk of [
      { ...key.jwk, use: 'enc' },
      { ...key.jwk, alg: 'ES384' },
      { ...key.jwk, kty: 'oct' },
    ]) {
      const proof = await key.forge(at(), { header: { jwk } })
      await expect(dpop.verify(request(proof)), JSON.stringify(jwk)).rejects.toMatchObject(refused('key'))
    }
    // The key was imported for ES256 by the proofs before: with ES384 it is refused, not reused.
    await dpop.verify(request(await key.proof(at())))
    const mismatched = await key.forge(at(), { header: { alg: 'ES384' } })
    await expect(dpop.verify(request(mismatched))).rejects.toMatchObject(refused('key'))
  })

  it('of another type, or without one', async () => {
    for (const typ of ['JWT', 'at+jwt', undefined]) {
      const proof = await key.forge(at(), { header: { typ } })
      await expect(dpop.verify(request(proof)), String(typ)).rejects.toMatchObject(refused('type'))
    }
  })

  it('without jti, htm, htu or iat', async () => {
    for (const claim of ['jti', 'htm', 'htu', 'iat']) {
      const proof = await key.forge(at(), { claims: { [claim]: undefined } })
      await expect(dpop.verify(request(proof)), claim).rejects.toMatchObject(refused('claims'))
    }
  })

  it('sent in two DPoP headers, or as anything but one compact JWS', async () => {
    const [one, two] = [await key.proof(at()), await key.proof(at())]
    await expect(dpop.verify(request([one, two]))).rejects.toMatchObject(refused('multiple'))
    await expect(dpop.verify(request('not a jws'))).rejects.toMatchObject(refused('malformed'))
    await expect(dpop.verify(request(`${one}x.y`))).rejects.toMatchObject(refused('malformed'))
  })
})

describe('server nonces (RFC 9449 §8, §9)', () => {
  const secret = 'a nonce secret of at least thirty-two bytes'

  it('refuses a proof without the nonce with use_dpop_nonce, naming the nonce to use', async () => {
    const withNonce = createDpopVerifier({ store, clock: clock.now, nonce: { secret } })
    const nonce = await withNonce.nonce()
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await expect(withNonce.verify(request(await key.proof(at())))).rejects.toMatchObject({
      code: 'ERR_DPOP_NONCE',
      status: 401,
      nonce,
    })
    await expect(withNonce.verify(request(await key.proof({ ...at(), nonce })))).resolves.toBeDefined()
  })

  it('accepts a nonce for one lifetime after it is replaced, refuses it after that', async () => {
    const withNonce = createDpopVerifier({ store, clock: clock.now, nonce: { secret, lifetime: '5m' } })
    const nonce = (await withNonce.nonce())!
    clock.advance(300)
    expect(await withNonce.nonce()).not.toBe(nonce)
    await expect(withNonce.verify(request(await key.proof({ ...at(300), nonce })))).resolves.toBeDefined()
    clock.advance(300)
    await expect(withNonce.verify(request(await key.proof({ ...at(600), nonce })))).rejects.toMatchObject({
      code: 'ERR_DPOP_NONCE',
    })
  })

  it('hands out the same nonce on every server that shares the secret', async () => {
    const a = createDpopVerifier({ store, clock: clock.now, nonce: { secret } })
    const b = createDpopVerifier({ store: new MemoryRevocationStore(), clock: clock.now, nonce: { secret } })
    expect(await a.nonce()).toBe(await b.nonce())
    const c = createDpopVerifier({ store, clock: clock.now, nonce: { secret: `${secret}!` } })
    expect(await c.nonce()).not.toBe(await a.nonce())
  })
})

describe('the replay memory', () => {
  it('forgets a spent proof once its window is over, so it stays bounded', async () => {
    for (let i = 0; i < 20; i++) await dpop.verify(request(await key.proof(at())))
    expect(store.size).toBe(20)
    // iat + maxAge (60) + tolerance (10) + 1: the proof is refused by age from then on anyway.
    clock.advance(71)
    await store.revoke('unrelated', EPOCH + 1000)
    expect(store.size).toBe(1)
  })
})

describe('tokenHash', () => {
  it("computes RFC 9449 §7.1's example ath", async () => {
    await expect(tokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).resolves.toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    )
  })
})

describe('createDpopVerifier options', () => {
  it('refuses symmetric algorithms, windows out of range and short nonce secrets at construction', () => {
    expect(() => createDpopVerifier({ store, algorithms: ['HS256' as never] })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'dpop.algorithms[0]' }),
    )
    expect(() => createDpopVerifier({ store, maxAge: '1h' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        field: 'dpop.maxAge',
        message:
          'dpop.maxAge: must be a whole number of seconds, such as 900, "90s" or "15m", from 1s to 10m',
      }),
    )
    expect(() => createDpopVerifier({ store, nonce: { secret: 'short' } })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'dpop.nonce.secret' }),
    )
  })
})
