import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { dpopTestKey } from '../test-support/dpop.js'
import { startTestIssuer, type TestIssuer } from '../test-support/issuer-server.js'
import { getAuth } from './auth-context.js'
import { withJwtAuth } from './with-jwt-auth.js'

// Another authorization server's DPoP-bound tokens (createJwtAuth({ issuers })) are held to the
// same proof as Covet's own: cnf.jkt is checked at the HTTP layer, whoever signed the token.
const API = 'https://api.test'
const clock = frozenClock()
let issuer: TestIssuer

beforeAll(async () => {
  issuer = await startTestIssuer({ path: '/foreign', alg: 'ES256' })
})
afterAll(() => issuer.close())

const key = await dpopTestKey('ES256')
const thief = await dpopTestKey('ES256')

async function setup() {
  const auth = await createJwtAuth({
    issuers: [{ issuer: issuer.issuer, audience: API }],
    clock: clock.now,
    warn: () => {},
  })
  const app = withJwtAuth(
    (request) => Response.json({ sub: getAuth(request)?.subject, iss: getAuth(request)?.issuer }),
    { auth, realm: 'api', dpop: { clock: clock.now } },
  )
  // A token of the foreign issuer, bound to the client's key, without a jti (its issuer's choice).
  const token = await issuer.sign(
    { iss: issuer.issuer, aud: API, sub: 'alice', iat: EPOCH, exp: EPOCH + 600, cnf: { jkt: key.jkt } },
    { typ: 'at+jwt' },
  )
  return { app, token }
}

const proof = (signer: typeof key, token: string) =>
  signer.proof({ method: 'GET', url: `${API}/me`, accessToken: token, issuedAt: EPOCH })

describe("another issuer's DPoP-bound token", () => {
  it('is accepted with a proof of its key, naming its issuer', async () => {
    const { app, token } = await setup()
    const response = await app(
      new Request(`${API}/me`, {
        headers: { authorization: `DPoP ${token}`, dpop: await proof(key, token) },
      }),
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ sub: 'alice', iss: issuer.issuer })
  })

  it('is refused as a bearer token, and with a proof of another key (ERR_TOKEN_BINDING)', async () => {
    const { app, token } = await setup()
    const asBearer = await app(new Request(`${API}/me`, { headers: { authorization: `Bearer ${token}` } }))
    const stolen = await app(
      new Request(`${API}/me`, {
        headers: { authorization: `DPoP ${token}`, dpop: await proof(thief, token) },
      }),
    )
    for (const response of [asBearer, stolen]) {
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^DPoP realm="api", error="invalid_token"/)
      expect((await response.json()).code).toBe('ERR_TOKEN_BINDING')
    }
  })
})
