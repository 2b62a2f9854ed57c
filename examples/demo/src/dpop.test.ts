import { serve } from '@covet/adapters/node'
import { createDpopProof, createJwtAuth, type DpopKeyPair } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, REALM } from './app.js'
import { startOnRuntime } from './test-support/code-flow.js'
import { oauth4webapiDpopFlow } from './test-support/dpop-flow.js'
import { rawRequest } from './test-support/http.js'
import { freePort, type Spawned } from './test-support/process.js'

const NONCE_SECRET = 'the demo DPoP nonce secret, 32 bytes or more'
const ALGS = 'algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"'

/** The demo's handler on Node, in this process, with DPoP nonces on. */
async function startOnNode() {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const auth = await createJwtAuth({ issuer, audience: 'covet-demo', accessTokenTtl: '15m', warn: () => {} })
  const app = await createApp({ auth, issuer, dpopNonceSecret: NONCE_SECRET })
  const server = await serve(app, { port, hostname: '127.0.0.1' })
  return { base: issuer, close: () => server.close() }
}

/** What every runtime must show: bound tokens got and used, and every misuse refused. */
function expectDpopFlow(result: Awaited<ReturnType<typeof oauth4webapiDpopFlow>>) {
  // RFC 9449 §5: a proof at the token endpoint binds the access token and a public client's
  // refresh token to its key; oauth4webapi retried once when the server asked for its nonce.
  expect(result.tokens.token_type).toBe('dpop')
  expect(result.accessCnf).toEqual({ jkt: result.jkt })
  expect(result.refreshCnf).toEqual({ jkt: result.jkt })
  expect(result.nonceRetries).toBe(1)
  expect(result.me).toEqual({
    status: 200,
    body: {
      sub: 'alice',
      roles: ['admin'],
      permissions: ['posts:delete', 'posts:edit', 'posts:read', 'users:manage'],
      scope: 'profile posts:read',
    },
  })
  // RFC 9449 §11.1: the very request oauth4webapi sent, sent again, is refused.
  expect(result.replayed).toEqual({
    status: 401,
    challenge: `DPoP realm="${REALM}", error="invalid_dpop_proof", error_description="The DPoP proof was already used", ${ALGS}`,
  })
  // RFC 9449 §7.2: the bound token is no bearer token.
  expect(result.asBearer).toEqual({
    status: 401,
    body: {
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'The access token must be sent with a DPoP proof of the key it is bound to',
      code: 'ERR_TOKEN_BINDING',
    },
  })
  // RFC 9449 §5: the public client's refresh token needs a proof of its key.
  expect(result.withoutProof).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'The refresh token is invalid' },
  })
  expect(result.refreshed.token_type).toBe('dpop')
  expect(result.meAfterRefresh).toBe(200)
}

/**
 * Over a raw socket, `/me` with a bound token and two DPoP headers (each a valid proof): what
 * fetch cannot send. The token comes from /oauth/token with a proof, retried with its nonce.
 */
async function twoProofHeaders(base: string) {
  const key = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as DpopKeyPair
  const tokenUrl = `${base}/oauth/token`
  const ask = async (nonce?: string) =>
    fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('demo-app:demo-app-secret').toString('base64')}`,
        dpop: await createDpopProof(key, 'ES256', {
          method: 'POST',
          url: tokenUrl,
          ...(nonce ? { nonce } : {}),
        }),
      },
      body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'alice-password' }),
    })
  let issued = await ask()
  if (issued.status === 400) issued = await ask(issued.headers.get('dpop-nonce')!)
  const nonce = issued.headers.get('dpop-nonce')!
  const { access_token: token } = (await issued.json()) as { access_token: string }
  const proof = () =>
    createDpopProof(key, 'ES256', { method: 'GET', url: `${base}/me`, accessToken: token, nonce })
  const { host, port } = new URL(base)
  const answer = await rawRequest(
    Number(port),
    `GET /me HTTP/1.1\r\nHost: ${host}\r\nAuthorization: DPoP ${token}\r\nDPoP: ${await proof()}\r\nDPoP: ${await proof()}\r\nConnection: close\r\n\r\n`,
  )
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]),
    challenge: /^www-authenticate: (.*)\r$/im.exec(answer)?.[1],
  }
}

const TWO_PROOFS = {
  status: 401,
  challenge: `DPoP realm="${REALM}", error="invalid_dpop_proof", error_description="The request has more than one DPoP proof", ${ALGS}`,
}

describe("oauth4webapi's DPoP support against the demo on Node", () => {
  let node: Awaited<ReturnType<typeof startOnNode>>
  beforeAll(async () => {
    node = await startOnNode()
  })
  afterAll(async () => {
    await node?.close()
  })

  it('gets bound tokens with its nonce handling, uses them on /me and refreshes; replays and Bearer use are refused', async () => {
    expectDpopFlow(await oauth4webapiDpopFlow(node.base))
  })

  it('refuses a request with two DPoP headers', async () => {
    expect(await twoProofHeaders(node.base)).toEqual(TWO_PROOFS)
  })
})

for (const runtime of ['bun', 'deno'] as const) {
  describe(`oauth4webapi's DPoP support against the demo's handler on ${runtime}`, () => {
    let started: { base: string; server: Spawned }
    beforeAll(async () => {
      started = await startOnRuntime(runtime, { COVET_DPOP_NONCE_SECRET: NONCE_SECRET })
    }, 90_000)
    afterAll(async () => {
      await started?.server.kill()
    })

    it('gets bound tokens with its nonce handling, uses them on /me and refreshes; replays and Bearer use are refused', async () => {
      expectDpopFlow(await oauth4webapiDpopFlow(started.base))
    })

    it('refuses a request with two DPoP headers', async () => {
      expect(await twoProofHeaders(started.base)).toEqual(TWO_PROOFS)
    })
  })
}
