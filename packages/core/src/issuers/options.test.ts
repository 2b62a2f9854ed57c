import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'

// Misconfigured issuers fail at start-up, naming the option, never echoing its value.
const ISSUER = 'https://issuer.test'
const API = 'https://api.test'

const refused = (config: Record<string, unknown>, field: string, message: string) =>
  expect(createJwtAuth({ warn: () => {}, ...config })).rejects.toMatchObject({
    code: 'ERR_CONFIG',
    field,
    message: `${field}: ${message}`,
  })

describe('issuers options', () => {
  it('needs an audience for every issuer (RFC 9068 §4), or the explicit false', async () => {
    await refused(
      { issuers: [{ issuer: ISSUER }] },
      'issuers[0].audience',
      'is required (RFC 9068 §4): the audience this API expects, a list of them, or false for an issuer whose access tokens carry none',
    )
    await expect(createJwtAuth({ issuers: [{ issuer: ISSUER, audience: false }] })).resolves.toBeDefined()
  })

  it('refuses HMAC algorithms without a secret, and a secret beside a JWK Set', async () => {
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, algorithms: ['RS256', 'HS256'] }] },
      'issuers[0].algorithms',
      'lists an HMAC algorithm: HMAC needs a secret',
    )
    const secret = 'a-shared-secret-of-at-least-32-bytes!'
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, secret, jwksUri: `${ISSUER}/jwks` }] },
      'issuers[0].secret',
      'cannot be combined with jwksUri',
    )
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, secret, algorithms: ['RS256'] }] },
      'issuers[0].algorithms',
      'must be HMAC algorithms with a secret',
    )
  })

  it('refuses a secret too short for its algorithm (RFC 7518 §3.2)', async () => {
    await expect(
      createJwtAuth({ issuers: [{ issuer: ISSUER, audience: API, secret: 'short' }] }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG', field: 'issuers[0].secret' })
  })

  it('refuses an issuer listed twice, or that is Covet’s own', async () => {
    await refused(
      {
        issuers: [
          { issuer: ISSUER, audience: API },
          { issuer: ISSUER, audience: 'other' },
        ],
      },
      'issuers[1].issuer',
      'names an issuer listed before',
    )
    await refused(
      { issuer: ISSUER, issuers: [{ issuer: ISSUER, audience: API }] },
      'issuers[0].issuer',
      "is Covet's own issuer (the issuer option): its tokens are verified with keys",
    )
  })

  it('refuses a claim path that would split a claim name with dots', async () => {
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, roles: 'https://example.com/roles' }] },
      'issuers[0].roles',
      "must be an array for a claim whose name has dots, such as ['https://example.com/roles']",
    )
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, scopes: 42 }] },
      'issuers[0].scopes',
      'must be a claim path (a dotted string or an array of claim names) or a function of the claims',
    )
  })

  it('refuses requiredClaims that other options check, or values that cannot be compared', async () => {
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, requiredClaims: { aud: API } }] },
      'issuers[0].requiredClaims.aud',
      'is checked by its own option, not requiredClaims',
    )
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, requiredClaims: { tenant: { id: 1 } } }] },
      'issuers[0].requiredClaims.tenant',
      'must be a string, number or boolean, or a non-empty list of them',
    )
  })

  it('refuses an unknown option in an entry, an empty list, and issuers beside jwksUri', async () => {
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API, audiance: API }] },
      'issuers[0].audiance',
      'unknown option',
    )
    await refused({ issuers: [] }, 'issuers', 'must not be empty')
    await refused(
      { jwksUri: `${ISSUER}/jwks`, audience: API, issuers: [{ issuer: ISSUER, audience: API }] },
      'issuers',
      'cannot be combined with jwksUri: list that issuer in issuers instead',
    )
  })

  it('refuses a jwksCache without load and save, and cache bounds that cross', async () => {
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API }], jwksCache: { load() {} } },
      'jwksCache',
      'must be an object with load and save functions',
    )
    await refused(
      { issuers: [{ issuer: ISSUER, audience: API }], jwks: { cacheMinAge: '1h', cacheMaxAge: '10m' } },
      'jwks.cacheMinAge',
      'must not exceed jwks.cacheMaxAge',
    )
  })
})
