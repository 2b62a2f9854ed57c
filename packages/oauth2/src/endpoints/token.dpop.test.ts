import { createDpopProof, type DpopProofRequest, type JwtAuth } from '@covet/core'
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { createClientRegistry } from '../clients/registry.js'
import type { ClientConfig } from '../clients/types.js'
import { CODE_CLIENTS, codeServer, pkce, SPA_REDIRECT } from '../test-support/code-flow.js'
import {
  CLIENTS,
  frozenClock,
  ISSUER,
  makeAuth,
  makeClients,
  post,
  read,
  SECRETS,
  START,
  verifyUser,
} from '../test-support/fixtures.js'
import { createIntrospectionEndpoint } from './introspection.js'
import { createMetadataEndpoint } from './metadata.js'
import { createTokenEndpoint, type TokenEndpointOptions } from './token.js'

const TOKEN_URL = `${ISSUER}/oauth/token`
const NOW = START / 1000

/** A client's DPoP key, and proofs made with it for the token endpoint. */
async function dpopKey() {
  const pair = await generateKeyPair('ES256')
  const jkt = await calculateJwkThumbprint(await exportJWK(pair.publicKey))
  const proof = (request: Partial<DpopProofRequest> = {}) =>
    createDpopProof(pair, 'ES256', { method: 'POST', url: TOKEN_URL, issuedAt: NOW, ...request })
  return { pair, jkt, proof }
}

const key = await dpopKey()
const other = await dpopKey()
let clock: ReturnType<typeof frozenClock>
let auth: JwtAuth<object>

function endpoint(options: Partial<TokenEndpointOptions> = {}, clients: readonly ClientConfig[] = CLIENTS) {
  return createTokenEndpoint({
    auth,
    clients: makeClients(clients),
    verifyUser,
    dpop: { clock: clock.now },
    ...options,
  })
}

const password = { grant_type: 'password', username: 'alice', password: 'correct horse battery staple' }
const web = ['web', SECRETS.web] as const

beforeEach(async () => {
  clock = frozenClock()
  auth = await makeAuth(clock)
})

describe('the token endpoint with a DPoP proof (RFC 9449 §5)', () => {
  it("binds the access token of the password grant to the proof key, not a confidential client's refresh token", async () => {
    const { status, headers, body } = await read(
      await endpoint()(post(password, { basic: web, headers: { dpop: await key.proof() } })),
    )
    expect(status).toBe(200)
    expect(headers['dpop-nonce']).toBeUndefined()
    expect(body).toMatchObject({ token_type: 'DPoP' })
    expect(decodeJwt(body!.access_token as string).cnf).toEqual({ jkt: key.jkt })
    expect(decodeJwt(body!.refresh_token as string).cnf).toBeUndefined()
  })

  it('binds a client credentials token', async () => {
    const response = await endpoint()(
      post(
        { grant_type: 'client_credentials' },
        { basic: ['batch', SECRETS.batch], headers: { dpop: await key.proof() } },
      ),
    )
    const { body } = await read(response)
    expect(body).toMatchObject({ token_type: 'DPoP' })
    expect(decodeJwt(body!.access_token as string).cnf).toEqual({ jkt: key.jkt })
  })

  it('issues bearer tokens as before to a request without a proof', async () => {
    const { body } = await read(await endpoint()(post(password, { basic: web })))
    expect(body).toMatchObject({ token_type: 'Bearer' })
    expect(decodeJwt(body!.access_token as string).cnf).toBeUndefined()
  })

  it('binds the access token of a refresh to the proof sent with it', async () => {
    const token = endpoint()
    const first = await read(await token(post(password, { basic: web })))
    const refreshed = await read(
      await token(
        post(
          { grant_type: 'refresh_token', refresh_token: first.body!.refresh_token as string },
          { basic: web, headers: { dpop: await other.proof() } },
        ),
      ),
    )
    expect(refreshed.body).toMatchObject({ token_type: 'DPoP' })
    expect(decodeJwt(refreshed.body!.access_token as string).cnf).toEqual({ jkt: other.jkt })
  })

  it('refuses a proof for another URL, another method, or an old one with 400 invalid_dpop_proof', async () => {
    const token = endpoint()
    for (const [proof, description] of [
      [await key.proof({ url: `${ISSUER}/oauth/revoke` }), 'The DPoP proof is for another URL'],
      [await key.proof({ method: 'GET' }), 'The DPoP proof is for another HTTP method'],
      [await key.proof({ issuedAt: NOW - 300 }), 'The DPoP proof is too old or issued in the future'],
    ] as const) {
      const { status, headers, body } = await read(
        await token(post(password, { basic: web, headers: { dpop: proof } })),
      )
      expect({ status, body }).toEqual({
        status: 400,
        body: { error: 'invalid_dpop_proof', error_description: description },
      })
      expect(headers['cache-control']).toBe('no-store')
    }
  })

  it('refuses a proof used twice', async () => {
    const token = endpoint()
    const proof = await key.proof()
    expect((await token(post(password, { basic: web, headers: { dpop: proof } }))).status).toBe(200)
    const { status, body } = await read(await token(post(password, { basic: web, headers: { dpop: proof } })))
    expect({ status, body }).toEqual({
      status: 400,
      body: { error: 'invalid_dpop_proof', error_description: 'The DPoP proof was already used' },
    })
  })

  it('refuses a client registered with dpopBoundAccessTokens when it sends no proof', async () => {
    const strict = CLIENTS.map((client) =>
      client.clientId === 'web' ? { ...client, dpopBoundAccessTokens: true } : client,
    )
    const token = endpoint({}, strict)
    const { status, body } = await read(await token(post(password, { basic: web })))
    expect({ status, body }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'This client must send a DPoP proof' },
    })
    expect((await token(post(password, { basic: web, headers: { dpop: await key.proof() } }))).status).toBe(
      200,
    )
  })

  it('ignores the DPoP header when created with dpop: false', async () => {
    const token = endpoint({ dpop: false })
    const { body } = await read(
      await token(post(password, { basic: web, headers: { dpop: 'not even a proof' } })),
    )
    expect(body).toMatchObject({ token_type: 'Bearer' })
  })
})

describe('the token endpoint with nonces (RFC 9449 §8)', () => {
  const nonce = { secret: 'the authorization server nonce secret, 32+ bytes' }

  it('asks for its nonce with 400 use_dpop_nonce and DPoP-Nonce, then issues with a fresh nonce', async () => {
    const token = endpoint({ dpop: { clock: clock.now, nonce } })
    const first = await read(
      await token(post(password, { basic: web, headers: { dpop: await key.proof() } })),
    )
    expect(first.status).toBe(400)
    expect(first.body).toEqual({
      error: 'use_dpop_nonce',
      error_description: 'Authorization server requires nonce in DPoP proof',
    })
    const issued = first.headers['dpop-nonce']
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const second = await read(
      await token(post(password, { basic: web, headers: { dpop: await key.proof({ nonce: issued }) } })),
    )
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ token_type: 'DPoP' })
    expect(second.headers['dpop-nonce']).toBe(issued)
  })
})

/**
 * `spa`, a public client, through the login and consent pages (authorization request `extra`), and
 * a token endpoint on the same `auth` checking proofs: `send` posts a form as `spa`, with a proof
 * when given; `redemption` is the form that redeems the code.
 */
async function spaCodeFlow(extra: Record<string, string> = {}, options: Partial<TokenEndpointOptions> = {}) {
  const server = await codeServer({ auth })
  const token = createTokenEndpoint({
    auth,
    clients: createClientRegistry(CODE_CLIENTS, { iterations: 1_000 }),
    verifyUser,
    dpop: { clock: clock.now },
    ...options,
  })
  const send = async (fields: Record<string, string>, proof?: string) =>
    read(
      await token(
        new Request(TOKEN_URL, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(proof ? { dpop: proof } : {}),
          },
          body: new URLSearchParams({ client_id: 'spa', ...fields }).toString(),
        }),
      ),
    )
  const { verifier, challenge } = await pkce()
  const query = await server.authorizeAs({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: SPA_REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's',
    ...extra,
  })
  const redemption = {
    grant_type: 'authorization_code',
    code: query.get('code')!,
    redirect_uri: SPA_REDIRECT,
    code_verifier: verifier,
  }
  return { send, redemption }
}

describe('public clients and the authorization code grant (RFC 9449 §5)', () => {
  it('bind the access and the refresh token; a refresh needs a proof of the same key', async () => {
    const { send, redemption } = await spaCodeFlow()
    const issued = await send(redemption, await key.proof())
    expect(issued.status).toBe(200)
    expect(issued.body).toMatchObject({ token_type: 'DPoP' })
    expect(decodeJwt(issued.body!.access_token as string).cnf).toEqual({ jkt: key.jkt })
    expect(decodeJwt(issued.body!.refresh_token as string).cnf).toEqual({ jkt: key.jkt })

    const refresh = { grant_type: 'refresh_token', refresh_token: issued.body!.refresh_token as string }
    for (const proof of [undefined, await other.proof()]) {
      const refused = await send(refresh, proof)
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The refresh token is invalid' },
      })
    }
    const rotated = await send(refresh, await key.proof())
    expect(rotated.status).toBe(200)
    expect(decodeJwt(rotated.body!.refresh_token as string).cnf).toEqual({ jkt: key.jkt })
  })
})

describe('a refresh token issued without DPoP, refreshed with a proof (RFC 9449 §5)', () => {
  const INVALID_REFRESH = {
    status: 400,
    body: { error: 'invalid_grant', error_description: 'The refresh token is invalid' },
  }

  /** `spa`, a public client, redeems a code without a proof: its refresh token is unbound. */
  async function publicClient() {
    const { send, redemption } = await spaCodeFlow()
    const issued = await send(redemption)
    expect(issued.status).toBe(200)
    expect(decodeJwt(issued.body!.refresh_token as string).cnf).toBeUndefined()
    const refresh = (refreshToken: string, proof?: string) =>
      send({ grant_type: 'refresh_token', refresh_token: refreshToken }, proof)
    return { refreshToken: issued.body!.refresh_token as string, refresh }
  }

  it("binds a public client's new refresh token to the proof key; it is then refused without that key", async () => {
    const { refreshToken, refresh } = await publicClient()
    const bound = await refresh(refreshToken, await key.proof())
    expect(bound.status).toBe(200)
    expect(bound.body).toMatchObject({ token_type: 'DPoP' })
    expect(decodeJwt(bound.body!.access_token as string).cnf).toEqual({ jkt: key.jkt })
    const next = bound.body!.refresh_token as string
    expect(decodeJwt(next).cnf).toEqual({ jkt: key.jkt })

    for (const proof of [undefined, await other.proof()]) {
      const refused = await refresh(next, proof)
      expect({ status: refused.status, body: refused.body }).toEqual(INVALID_REFRESH)
    }
    const rotated = await refresh(next, await key.proof())
    expect(rotated.status).toBe(200)
    expect(decodeJwt(rotated.body!.refresh_token as string).cnf).toEqual({ jkt: key.jkt })
  })

  it("leaves a confidential client's new refresh token unbound, usable without a proof", async () => {
    const token = endpoint()
    const first = await read(await token(post(password, { basic: web })))
    expect(decodeJwt(first.body!.refresh_token as string).cnf).toBeUndefined()
    const refreshed = await read(
      await token(
        post(
          { grant_type: 'refresh_token', refresh_token: first.body!.refresh_token as string },
          { basic: web, headers: { dpop: await key.proof() } },
        ),
      ),
    )
    expect(refreshed.status).toBe(200)
    expect(decodeJwt(refreshed.body!.access_token as string).cnf).toEqual({ jkt: key.jkt })
    expect(decodeJwt(refreshed.body!.refresh_token as string).cnf).toBeUndefined()
    const plain = await read(
      await token(
        post(
          { grant_type: 'refresh_token', refresh_token: refreshed.body!.refresh_token as string },
          { basic: web },
        ),
      ),
    )
    expect(plain.status).toBe(200)
    expect(plain.body).toMatchObject({ token_type: 'Bearer' })
  })
})

describe('codes bound to a DPoP key with dpop_jkt (RFC 9449 §10)', () => {
  const INVALID_CODE = {
    status: 400,
    body: {
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid, expired, spent or not issued to this client',
    },
  }

  /** A code for `spa` through the login and consent pages, and a token endpoint checking proofs. */
  async function bound(extra: Record<string, string>, options: Partial<TokenEndpointOptions> = {}) {
    const { send, redemption } = await spaCodeFlow(extra, options)
    const redeem = (proof?: string) => send(redemption, proof)
    return { redeem }
  }

  it('issues DPoP-bound tokens to a proof of the key the authorization request named', async () => {
    const { redeem } = await bound({ dpop_jkt: key.jkt })
    const issued = await redeem(await key.proof())
    expect(issued.status).toBe(200)
    expect(issued.body).toMatchObject({ token_type: 'DPoP' })
    expect(decodeJwt(issued.body!.access_token as string).cnf).toEqual({ jkt: key.jkt })
    expect(decodeJwt(issued.body!.refresh_token as string).cnf).toEqual({ jkt: key.jkt })
  })

  it('refuses a redemption without a proof with invalid_grant, and the code is spent as by a wrong verifier', async () => {
    const { redeem } = await bound({ dpop_jkt: key.jkt })
    const refused = await redeem()
    expect({ status: refused.status, body: refused.body }).toEqual(INVALID_CODE)
    const again = await redeem(await key.proof())
    expect({ status: again.status, body: again.body }).toEqual(INVALID_CODE)
  })

  it("refuses a stolen code redeemed with a proof of the thief's key, and the code is spent", async () => {
    const { redeem } = await bound({ dpop_jkt: key.jkt })
    const refused = await redeem(await other.proof())
    expect({ status: refused.status, body: refused.body }).toEqual(INVALID_CODE)
    const again = await redeem(await key.proof())
    expect({ status: again.status, body: again.body }).toEqual(INVALID_CODE)
  })

  it('refuses a bound code at a token endpoint created with dpop: false, which cannot check the key', async () => {
    const { redeem } = await bound({ dpop_jkt: key.jkt }, { dpop: false })
    const refused = await redeem(await key.proof())
    expect({ status: refused.status, body: refused.body }).toEqual(INVALID_CODE)
  })

  it('redeems a code issued without dpop_jkt as before: Bearer without a proof, bound to any proof sent', async () => {
    const plain = await (await bound({})).redeem()
    expect(plain.status).toBe(200)
    expect(plain.body).toMatchObject({ token_type: 'Bearer' })
    expect(decodeJwt(plain.body!.access_token as string).cnf).toBeUndefined()
    const proved = await (await bound({})).redeem(await other.proof())
    expect(proved.status).toBe(200)
    expect(decodeJwt(proved.body!.access_token as string).cnf).toEqual({ jkt: other.jkt })
  })
})

describe('introspection and metadata', () => {
  it('introspection says a bound token is of type DPoP and names its key (RFC 9449 §6.2)', async () => {
    const bound = await auth.createToken('alice', { clientId: 'web', dpopJkt: key.jkt })
    const introspect = createIntrospectionEndpoint({ auth, clients: makeClients() })
    const { body } = await read(
      await introspect(post({ token: bound }, { basic: web, url: `${ISSUER}/oauth/introspect` })),
    )
    expect(body).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: key.jkt } })
  })

  it('metadata lists the proof algorithms (RFC 9449 §5.1), or none with dpopAlgorithms: false', async () => {
    const document = (options = {}) =>
      createMetadataEndpoint({ issuer: ISSUER, tokenEndpoint: '/oauth/token', clients: CLIENTS, ...options })(
        new Request(`${ISSUER}/.well-known/oauth-authorization-server`),
      ).json()
    expect((await document()).dpop_signing_alg_values_supported).toEqual([
      'ES256',
      'ES384',
      'ES512',
      'EdDSA',
      'PS256',
      'PS384',
      'PS512',
      'RS256',
      'RS384',
      'RS512',
    ])
    expect((await document({ dpopAlgorithms: ['ES256'] })).dpop_signing_alg_values_supported).toEqual([
      'ES256',
    ])
    expect(await document({ dpopAlgorithms: false })).not.toHaveProperty('dpop_signing_alg_values_supported')
  })
})
