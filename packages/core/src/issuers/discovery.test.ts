import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { startTestIssuer, type TestIssuerOptions } from '../test-support/issuer-server.js'
import { metadataUrls } from './discovery.js'

// Finding an issuer's keys from its identifier: OpenID Connect Discovery 1.0 §4, then RFC 8414
// §3.1 with its path insertion, the document's issuer compared exactly (RFC 8414 §3.3).
const API = 'https://api.test'
const now = () => Math.floor(Date.now() / 1000)

async function verifyThrough(options: TestIssuerOptions, extra: Record<string, unknown> = {}) {
  const issuer = await startTestIssuer(options)
  const warnings: string[] = []
  try {
    const auth = await createJwtAuth({
      issuers: [{ issuer: issuer.issuer, audience: API }],
      warn: (message) => warnings.push(message),
      ...extra,
    })
    const token = await issuer.sign({
      iss: issuer.issuer,
      aud: API,
      sub: 'alice',
      iat: now(),
      exp: now() + 60,
    })
    const outcome = await auth.verifyToken(token).then(
      (verified) => ({ subject: verified.subject }),
      (error: { code: string; status: number }) => ({ code: error.code, status: error.status }),
    )
    return { outcome, requests: { ...issuer.requests }, warnings, issuer: issuer.issuer }
  } finally {
    await issuer.close()
  }
}

describe('where metadata is looked for', () => {
  it('appends the OpenID Connect path and inserts the RFC 8414 one before the issuer path', () => {
    expect(metadataUrls('https://sso.test/realms/acme/').map(String)).toEqual([
      'https://sso.test/realms/acme/.well-known/openid-configuration',
      'https://sso.test/.well-known/oauth-authorization-server/realms/acme',
    ])
    expect(metadataUrls('https://issuer.test').map(String)).toEqual([
      'https://issuer.test/.well-known/openid-configuration',
      'https://issuer.test/.well-known/oauth-authorization-server',
    ])
  })
})

describe('discovering the key set', () => {
  it('reads jwks_uri from the OpenID Connect Discovery document first', async () => {
    const { outcome, requests } = await verifyThrough({ path: '/realms/acme' })
    expect(outcome).toEqual({ subject: 'alice' })
    expect(requests).toEqual({ openid: 1, oauth: 0, jwks: 1 })
  })

  it('falls back to RFC 8414 metadata, the well-known path inserted before the issuer path', async () => {
    const { outcome, requests } = await verifyThrough({ path: '/tenant/v2', metadata: 'oauth' })
    expect(outcome).toEqual({ subject: 'alice' })
    expect(requests).toEqual({ openid: 1, oauth: 1, jwks: 1 })
  })

  it('never uses a document that names another issuer (RFC 8414 §3.3): 503, with a warning', async () => {
    const { outcome, requests, warnings, issuer } = await verifyThrough({
      path: '/tenant',
      metadataIssuer: (real) => `${real}/evil`,
    })
    expect(outcome).toEqual({ code: 'ERR_KEYSET_UNAVAILABLE', status: 503 })
    expect(requests.jwks).toBe(0)
    expect(warnings).toEqual([
      `the key set of ${issuer} could not be fetched: no usable metadata (the metadata at ${issuer}/.well-known/openid-configuration names another issuer; ${new URL(issuer).origin}/.well-known/oauth-authorization-server/tenant answered HTTP 404)`,
    ])
  })

  it('answers 503 when the issuer publishes no metadata at all', async () => {
    const { outcome, requests } = await verifyThrough({ metadata: 'none' })
    expect(outcome).toEqual({ code: 'ERR_KEYSET_UNAVAILABLE', status: 503 })
    expect(requests).toEqual({ openid: 1, oauth: 1, jwks: 0 })
  })

  it('gives up on a metadata server that does not answer within jwks.timeout', async () => {
    const issuer = await startTestIssuer({ path: '/slow' })
    issuer.mode = 'hang'
    try {
      const auth = await createJwtAuth({
        issuers: [{ issuer: issuer.issuer, audience: API }],
        jwks: { timeout: '200ms' },
        warn: () => {},
      })
      const token = await issuer.sign({
        iss: issuer.issuer,
        aud: API,
        sub: 'alice',
        iat: now(),
        exp: now() + 60,
      })
      await expect(auth.verifyToken(token)).rejects.toMatchObject({
        code: 'ERR_KEYSET_UNAVAILABLE',
        status: 503,
      })
    } finally {
      await issuer.close()
    }
  })

  it('discovers nothing when jwksUri is given', async () => {
    const issuer = await startTestIssuer({ path: '/direct', metadata: 'none' })
    try {
      const auth = await createJwtAuth({
        issuers: [{ issuer: issuer.issuer, audience: API, jwksUri: issuer.jwksUri }],
      })
      const token = await issuer.sign({
        iss: issuer.issuer,
        aud: API,
        sub: 'alice',
        iat: now(),
        exp: now() + 60,
      })
      await expect(auth.verifyToken(token)).resolves.toMatchObject({ subject: 'alice' })
      expect(issuer.requests).toEqual({ openid: 0, oauth: 0, jwks: 1 })
    } finally {
      await issuer.close()
    }
  })
})
