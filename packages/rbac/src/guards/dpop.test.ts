import { createDpopProof, type GrantOptions, withJwtAuth } from '@covet/core'
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { auth, ok, rbac } from '../test-support/guard-harness.js'
import type { Handler } from './guard.js'
import { requirePermissions } from './require-permissions.js'
import { requireRoles } from './require-roles.js'
import { requireScopes } from './require-scopes.js'

const NOW = Date.UTC(2026, 0, 1, 12)
const URL_RESOURCE = 'https://api.test/resource'
const ALGS = 'algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"'
const key = await generateKeyPair('ES256')
const jkt = await calculateJwkThumbprint(await exportJWK(key.publicKey))

/** `handler` behind `withJwtAuth` on the harness's frozen clock, called with a DPoP-bound token and its proof. */
async function callWithDpop(handler: Handler, grant: GrantOptions): Promise<Response> {
  const token = await auth.createToken('alice', { ...grant, dpopJkt: jkt })
  const proof = await createDpopProof(key, 'ES256', {
    method: 'GET',
    url: URL_RESOURCE,
    accessToken: token,
    issuedAt: NOW / 1000,
  })
  const mounted = withJwtAuth(handler, { auth, realm: 'api', dpop: { clock: () => NOW } })
  return mounted(new Request(URL_RESOURCE, { headers: { authorization: `DPoP ${token}`, dpop: proof } }))
}

describe('guards behind a DPoP-bound token (RFC 9449)', () => {
  it('let the identity through exactly as with a bearer token', async () => {
    for (const guarded of [
      requireRoles('editor')(ok),
      requirePermissions(['posts:publish'], { rbac })(ok),
      requireScopes('reports:read')(ok),
    ]) {
      const res = await callWithDpop(guarded, { roles: ['editor'], scope: 'reports:read' })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ subject: 'alice' })
    }
  })

  it('answer a missing right with 403 insufficient_scope, challenged in the DPoP scheme', async () => {
    const res = await callWithDpop(requireScopes('reports:read')(ok), { scope: 'profile' })
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      `DPoP realm="api", error="insufficient_scope", error_description="Missing scopes: reports:read", scope="reports:read", ${ALGS}`,
    )
    expect(await res.json()).toMatchObject({ status: 403, code: 'ERR_INSUFFICIENT_SCOPE' })
  })
})
