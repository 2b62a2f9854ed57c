import { serve } from '@covet/adapters/node'
import { createJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { oauth4webapiFlow, startOnRuntime } from './test-support/code-flow.js'
import { freePort, type Spawned } from './test-support/process.js'

const ALICE = {
  sub: 'alice',
  roles: ['admin'],
  permissions: ['posts:delete', 'posts:edit', 'posts:read', 'users:manage'],
  scope: 'profile posts:read',
}

/** The demo's handler on Node, in this process. */
async function startOnNode() {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const auth = await createJwtAuth({ issuer, audience: 'covet-demo', accessTokenTtl: '15m', warn: () => {} })
  const server = await serve(await createApp({ auth, issuer }), { port, hostname: '127.0.0.1' })
  return { base: issuer, close: () => server.close() }
}

describe('oauth4webapi runs the authorization code flow with PKCE against the demo on Node', () => {
  let node: Awaited<ReturnType<typeof startOnNode>>
  beforeAll(async () => {
    node = await startOnNode()
  })
  afterAll(async () => {
    await node?.close()
  })

  it('discovers, signs alice in, allows, redeems the code, reads /me, refreshes and revokes', async () => {
    const result = await oauth4webapiFlow(node.base)
    expect(result.who).toEqual(ALICE)
    expect(result.afterRevocation).toBe(401)
  })
})

for (const runtime of ['bun', 'deno'] as const) {
  describe(`oauth4webapi runs the authorization code flow against the demo's handler on ${runtime}`, () => {
    let started: { base: string; server: Spawned }
    beforeAll(async () => {
      started = await startOnRuntime(runtime)
    }, 90_000)
    afterAll(async () => {
      await started?.server.kill()
    })

    it('discovers, signs alice in, allows, redeems the code, reads /me, refreshes and revokes', async () => {
      const result = await oauth4webapiFlow(started.base)
      expect(result.who).toEqual(ALICE)
      expect(result.afterRevocation).toBe(401)
    })
  })
}
