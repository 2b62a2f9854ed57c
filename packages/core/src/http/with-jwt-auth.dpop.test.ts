import { beforeEach, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import type { DpopProofRequest } from '../dpop/create-proof.js'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import type { RevocationStore } from '../revocation/store.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { dpopTestKey } from '../test-support/dpop.js'
import { getAuth } from './auth-context.js'
import type { WithJwtAuthOptions } from './options.js'
import { withJwtAuth } from './with-jwt-auth.js'

const clock = frozenClock()
const store = new MemoryRevocationStore({ clock: clock.now })
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'dpop-http-layer-tests-secret-0123456789',
  issuer: 'https://issuer.test',
  audience: 'api',
  clock: clock.now,
  revocation: store,
})
const key = await dpopTestKey('ES256')
const thief = await dpopTestKey('ES256')
const ME = 'https://api.test/me'
const ALGS = 'algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"'

/** A handler on the frozen clock; without `dpop`, the mode is the default one. */
function app(dpop: NonNullable<WithJwtAuthOptions['dpop']> = {}) {
  return withJwtAuth(
    (request) => Response.json({ sub: getAuth(request)?.subject, cnf: getAuth(request)?.claims.cnf ?? null }),
    {
      auth,
      realm: 'api',
      dpop: typeof dpop === 'string' ? { mode: dpop, clock: clock.now } : { clock: clock.now, ...dpop },
    },
  )
}

const allowed = app()
const bound = await auth.createToken('alice', { dpopJkt: key.jkt })
const unbound = await auth.createToken('bob')

function dpopRequest(
  token: string,
  proofs: string | readonly string[] | undefined,
  init: { url?: string; method?: string; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers({ authorization: `DPoP ${token}`, ...init.headers })
  for (const proof of proofs === undefined ? [] : [proofs].flat()) headers.append('dpop', proof)
  return new Request(init.url ?? ME, { method: init.method ?? 'GET', headers })
}

const now = (request: Partial<DpopProofRequest> = {}): DpopProofRequest => ({
  method: 'GET',
  url: ME,
  accessToken: bound,
  issuedAt: clock.seconds,
  ...request,
})

async function expectRefusal(
  response: Response,
  status: number,
  challenge: string,
  code: string,
  detail: string,
): Promise<void> {
  expect(response.status).toBe(status)
  expect(response.headers.get('www-authenticate')).toBe(challenge)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  expect(await response.json()).toEqual({
    type: 'about:blank',
    title: status === 400 ? 'Bad Request' : 'Unauthorized',
    status,
    detail,
    code,
  })
}

const badProof = (description: string) =>
  `DPoP realm="api", error="invalid_dpop_proof", error_description="${description}", ${ALGS}`
const BINDING_DETAIL = 'The access token must be sent with a DPoP proof of the key it is bound to'
const BAD_BINDING = `DPoP realm="api", error="invalid_token", error_description="${BINDING_DETAIL}", ${ALGS}`

beforeEach(() => {
  clock.set(EPOCH)
})

describe('withJwtAuth with dpop "allowed" (the default)', () => {
  it('accepts a DPoP-bound token with a proof of its key, exposing the binding', async () => {
    const response = await allowed(dpopRequest(bound, await key.proof(now())))
    expect(response.status).toBe(200)
    expect(response.headers.has('dpop-nonce')).toBe(false)
    expect(await response.json()).toEqual({ sub: 'alice', cnf: { jkt: key.jkt } })
  })

  it('still accepts an unbound bearer token', async () => {
    const response = await allowed(new Request(ME, { headers: { authorization: `Bearer ${unbound}` } }))
    expect(response.status).toBe(200)
  })

  it('offers both schemes to a request without credentials (RFC 9449 §7.1)', async () => {
    const response = await allowed(new Request(ME))
    await expectRefusal(
      response,
      401,
      `Bearer realm="api", DPoP realm="api", ${ALGS}`,
      'ERR_CREDENTIALS_MISSING',
      'Authentication is required',
    )
  })

  it('refuses a proof made for another method', async () => {
    const response = await allowed(dpopRequest(bound, await key.proof(now({ method: 'POST' }))))
    await expectRefusal(
      response,
      401,
      badProof('The DPoP proof is for another HTTP method'),
      'ERR_DPOP_PROOF_INVALID',
      'The DPoP proof is for another HTTP method',
    )
  })

  it('refuses a proof made for another URL', async () => {
    const response = await allowed(
      dpopRequest(bound, await key.proof(now({ url: 'https://api.test/admin' }))),
    )
    await expectRefusal(
      response,
      401,
      badProof('The DPoP proof is for another URL'),
      'ERR_DPOP_PROOF_INVALID',
      'The DPoP proof is for another URL',
    )
  })

  it('refuses a proof issued too long ago, and one issued in the future', async () => {
    for (const offset of [-71, 11]) {
      const proof = await key.proof(now({ issuedAt: clock.seconds + offset }))
      await expectRefusal(
        await allowed(dpopRequest(bound, proof)),
        401,
        badProof('The DPoP proof is too old or issued in the future'),
        'ERR_DPOP_PROOF_INVALID',
        'The DPoP proof is too old or issued in the future',
      )
    }
  })

  it('refuses a proof replayed to the same server', async () => {
    const proof = await key.proof(now())
    expect((await allowed(dpopRequest(bound, proof))).status).toBe(200)
    await expectRefusal(
      await allowed(dpopRequest(bound, proof)),
      401,
      badProof('The DPoP proof was already used'),
      'ERR_DPOP_PROOF_INVALID',
      'The DPoP proof was already used',
    )
  })

  it('refuses a proof replayed to another handler sharing the store', async () => {
    const proof = await key.proof(now())
    expect((await allowed(dpopRequest(bound, proof))).status).toBe(200)
    const second = app('allowed')
    expect((await second(dpopRequest(bound, proof))).status).toBe(401)
  })

  it('refuses a proof whose ath is the hash of another token', async () => {
    const other = await auth.createToken('alice', { dpopJkt: key.jkt })
    const response = await allowed(dpopRequest(bound, await key.proof(now({ accessToken: other }))))
    await expectRefusal(
      response,
      401,
      badProof('The DPoP proof is for another access token'),
      'ERR_DPOP_PROOF_INVALID',
      'The DPoP proof is for another access token',
    )
  })

  it("refuses a stolen token used with a proof of the thief's own key (RFC 9449 §7.1: invalid_token)", async () => {
    const response = await allowed(dpopRequest(bound, await thief.proof(now())))
    await expectRefusal(response, 401, BAD_BINDING, 'ERR_TOKEN_BINDING', BINDING_DETAIL)
  })

  it('refuses a proof signed with HMAC or with alg none', async () => {
    for (const alg of ['HS256', 'none']) {
      const proof = await key.forge(now(), { header: { alg } })
      await expectRefusal(
        await allowed(dpopRequest(bound, proof)),
        401,
        badProof('The DPoP proof is signed with an algorithm that is not accepted'),
        'ERR_DPOP_PROOF_INVALID',
        'The DPoP proof is signed with an algorithm that is not accepted',
      )
    }
  })

  it('refuses a proof whose jwk holds private key material', async () => {
    const { exportJWK } = await import('jose')
    const { d } = (await exportJWK(key.pair.privateKey)) as { d: string }
    const proof = await key.forge(now(), { header: { jwk: { ...key.jwk, d } } })
    await expectRefusal(
      await allowed(dpopRequest(bound, proof)),
      401,
      badProof('The DPoP proof does not carry a usable public key'),
      'ERR_DPOP_PROOF_INVALID',
      'The DPoP proof does not carry a usable public key',
    )
  })

  it('refuses a bound token sent with the DPoP scheme but no proof', async () => {
    await expectRefusal(
      await allowed(dpopRequest(bound, undefined)),
      401,
      badProof('The request has no DPoP proof'),
      'ERR_DPOP_PROOF_INVALID',
      'The request has no DPoP proof',
    )
  })

  it('refuses a bound token sent as a bearer token (RFC 9449 §7.2), with or without a proof', async () => {
    for (const proof of [undefined, await key.proof(now())]) {
      const headers: Record<string, string> = { authorization: `Bearer ${bound}` }
      if (proof !== undefined) headers.dpop = proof
      await expectRefusal(
        await allowed(new Request(ME, { headers })),
        401,
        BAD_BINDING,
        'ERR_TOKEN_BINDING',
        BINDING_DETAIL,
      )
    }
  })

  it('refuses two DPoP headers', async () => {
    const proofs = [await key.proof(now()), await key.proof(now())]
    await expectRefusal(
      await allowed(dpopRequest(bound, proofs)),
      401,
      badProof('The request has more than one DPoP proof'),
      'ERR_DPOP_PROOF_INVALID',
      'The request has more than one DPoP proof',
    )
  })

  it('refuses an unbound token sent with the DPoP scheme', async () => {
    const proof = await key.proof(now({ accessToken: unbound }))
    await expectRefusal(
      await allowed(dpopRequest(unbound, proof)),
      401,
      BAD_BINDING,
      'ERR_TOKEN_BINDING',
      BINDING_DETAIL,
    )
  })

  it('answers an expired bound token in the DPoP scheme', async () => {
    clock.advance(auth.accessTokenTtl + 60)
    const response = await allowed(dpopRequest(bound, await key.proof(now())))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      `DPoP realm="api", error="invalid_token", error_description="The access token expired", ${ALGS}`,
    )
  })

  it('refuses a DPoP token also sent in a cookie as more than one way (400)', async () => {
    const withCookie = withJwtAuth(() => new Response('ok'), {
      auth,
      realm: 'api',
      tokenSources: { cookie: 'at' },
      dpop: { clock: clock.now },
    })
    const request = dpopRequest(bound, await key.proof(now()), { headers: { cookie: `at=${unbound}` } })
    const response = await withCookie(request)
    expect(response.status).toBe(400)
    expect((await response.json()).code).toBe('ERR_INVALID_REQUEST')
  })

  it('answers 503 without a challenge when the store cannot spend the proof', async () => {
    const broken: RevocationStore = Object.assign(Object.create(store), {
      markUsed: () => Promise.reject(new Error('connection refused')),
    })
    const brokenAuth = await createJwtAuth({
      algorithm: 'HS256',
      keys: 'dpop-http-layer-tests-secret-0123456789',
      issuer: 'https://issuer.test',
      audience: 'api',
      clock: clock.now,
      revocation: broken,
    })
    const handler = withJwtAuth(() => new Response('ok'), { auth: brokenAuth, dpop: { clock: clock.now } })
    const response = await handler(dpopRequest(bound, await key.proof(now())))
    expect(response.status).toBe(503)
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect((await response.json()).code).toBe('ERR_STORE_UNAVAILABLE')
  })
})

describe('withJwtAuth with dpop "required"', () => {
  const required = app('required')

  it('accepts a DPoP-bound token with its proof', async () => {
    expect((await required(dpopRequest(bound, await key.proof(now())))).status).toBe(200)
  })

  it('challenges a request without credentials in the DPoP scheme only', async () => {
    const response = await required(new Request(ME))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(`DPoP realm="api", ${ALGS}`)
  })

  it('refuses a bearer token unread', async () => {
    const response = await required(new Request(ME, { headers: { authorization: `Bearer ${unbound}` } }))
    await expectRefusal(response, 401, BAD_BINDING, 'ERR_TOKEN_BINDING', BINDING_DETAIL)
  })
})

describe('withJwtAuth with dpop "off"', () => {
  const off = app('off')

  it('takes the DPoP scheme for no credentials, as any other scheme', async () => {
    const response = await off(dpopRequest(bound, await key.proof(now())))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"')
  })

  it('still refuses a DPoP-bound token sent as a bearer token', async () => {
    const response = await off(new Request(ME, { headers: { authorization: `Bearer ${bound}` } }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", error="invalid_token", error_description="${BINDING_DETAIL}"`,
    )
  })
})

describe('withJwtAuth with resource nonces (RFC 9449 §9)', () => {
  const withNonce = app({ nonce: { secret: 'the resource nonce secret, 32 bytes at least' } })

  it('asks for its nonce with use_dpop_nonce and DPoP-Nonce, then accepts the proof carrying it', async () => {
    const first = await withNonce(dpopRequest(bound, await key.proof(now())))
    expect(first.status).toBe(401)
    const nonce = first.headers.get('dpop-nonce')
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(first.headers.get('www-authenticate')).toBe(
      `DPoP realm="api", error="use_dpop_nonce", error_description="The DPoP proof must carry the nonce the server provides", ${ALGS}`,
    )
    expect((await first.json()).code).toBe('ERR_DPOP_NONCE')
    const second = await withNonce(dpopRequest(bound, await key.proof(now({ nonce: nonce! }))))
    expect(second.status).toBe(200)
  })

  /** The nonce `handler` hands out now, read from its 401 `use_dpop_nonce`. */
  async function nonceOf(handler: (request: Request) => Response | Promise<Response>): Promise<string> {
    const refused = await handler(dpopRequest(bound, await key.proof(now())))
    expect(refused.status).toBe(401)
    return refused.headers.get('dpop-nonce')!
  }

  /** The nonce of the slot before the current one (5 minutes by default), and the current one. */
  async function rotatedNonces(handler: (request: Request) => Response | Promise<Response>) {
    const previous = await nonceOf(handler)
    clock.advance(300)
    const current = await nonceOf(handler)
    expect(current).not.toBe(previous)
    return { previous, current }
  }

  it('answers a proof carrying the previous nonce with 200 and the current nonce in DPoP-Nonce', async () => {
    const { previous, current } = await rotatedNonces(withNonce)
    const response = await withNonce(dpopRequest(bound, await key.proof(now({ nonce: previous }))))
    expect(response.status).toBe(200)
    expect(response.headers.get('dpop-nonce')).toBe(current)
    expect(await response.json()).toEqual({ sub: 'alice', cnf: { jkt: key.jkt } })
  })

  it('adds no DPoP-Nonce to the answer to a proof carrying the current nonce', async () => {
    const { current } = await rotatedNonces(withNonce)
    const response = await withNonce(dpopRequest(bound, await key.proof(now({ nonce: current }))))
    expect(response.status).toBe(200)
    expect(response.headers.has('dpop-nonce')).toBe(false)
  })

  it('supplies the current nonce on a redirect, whose headers cannot change, in a copy of it', async () => {
    const redirecting = withJwtAuth(() => Response.redirect('https://api.test/next', 303), {
      auth,
      realm: 'api',
      dpop: { clock: clock.now, nonce: { secret: 'the resource nonce secret, 32 bytes at least' } },
    })
    // Fetch's "immutable" guard: the header cannot be set on the handler's answer itself.
    expect(() => Response.redirect('https://api.test/next', 303).headers.set('x', '1')).toThrow(TypeError)
    const { previous, current } = await rotatedNonces(redirecting)
    const stale = await redirecting(dpopRequest(bound, await key.proof(now({ nonce: previous }))))
    expect(stale.status).toBe(303)
    expect(stale.headers.get('location')).toBe('https://api.test/next')
    expect(stale.headers.get('dpop-nonce')).toBe(current)
    const fresh = await redirecting(dpopRequest(bound, await key.proof(now({ nonce: current }))))
    expect(fresh.status).toBe(303)
    expect(fresh.headers.has('dpop-nonce')).toBe(false)
  })

  it('supplies the current nonce on the answer of a handler that returns a promise', async () => {
    const later = withJwtAuth(async () => new Response('later', { status: 201, statusText: 'Made' }), {
      auth,
      realm: 'api',
      dpop: { clock: clock.now, nonce: { secret: 'the resource nonce secret, 32 bytes at least' } },
    })
    const { previous, current } = await rotatedNonces(later)
    const stale = await later(dpopRequest(bound, await key.proof(now({ nonce: previous }))))
    expect(stale.status).toBe(201)
    expect(stale.statusText).toBe('Made')
    expect(stale.headers.get('dpop-nonce')).toBe(current)
    expect(await stale.text()).toBe('later')
    const fresh = await later(dpopRequest(bound, await key.proof(now({ nonce: current }))))
    expect(fresh.status).toBe(201)
    expect(fresh.headers.has('dpop-nonce')).toBe(false)
  })

  it('keeps a DPoP-Nonce the handler set itself', async () => {
    const own = withJwtAuth(() => new Response('ok', { headers: { 'DPoP-Nonce': 'the-handler-s-own' } }), {
      auth,
      realm: 'api',
      dpop: { clock: clock.now, nonce: { secret: 'the resource nonce secret, 32 bytes at least' } },
    })
    const { previous } = await rotatedNonces(own)
    const response = await own(dpopRequest(bound, await key.proof(now({ nonce: previous }))))
    expect(response.status).toBe(200)
    expect(response.headers.get('dpop-nonce')).toBe('the-handler-s-own')
  })

  it('never adds DPoP-Nonce to the answer to a bearer token', async () => {
    await rotatedNonces(withNonce)
    const response = await withNonce(new Request(ME, { headers: { authorization: `Bearer ${unbound}` } }))
    expect(response.status).toBe(200)
    expect(response.headers.has('dpop-nonce')).toBe(false)
    expect(await response.json()).toEqual({ sub: 'bob', cnf: null })
  })
})

describe('withJwtAuth dpop options', () => {
  it('refuses an unknown mode and bad proof options at construction', () => {
    expect(() => withJwtAuth(() => new Response(), { auth, dpop: 'sometimes' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'dpop' }),
    )
    expect(() => withJwtAuth(() => new Response(), { auth, dpop: { maxAge: 0 } })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'dpop.maxAge' }),
    )
  })
})
