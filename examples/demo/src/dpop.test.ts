import { serve } from '@covet/adapters/node'
import { createJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, REALM } from './app.js'
import { startOnRuntime } from './test-support/code-flow.js'
import { oauth4webapiDpopFlow } from './test-support/dpop-flow.js'
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
  })
}
