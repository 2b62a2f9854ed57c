import { expect, it } from 'vitest'
import { runtimeSuite } from './test-support/suite.js'

// A client-made copy of the header createJwtProxy forwards, claiming to be an admin.
const forged = `${Buffer.from(JSON.stringify({ at: Date.now(), identity: { subject: 'admin', roles: ['admin'] } })).toString('base64url')}.${Buffer.alloc(32).toString('base64url')}`
const spoof = `X-Covet-Identity: ${forged}`

runtimeSuite(
  'nextjs',
  { redirectsRepeatedSlashes: true, closesConnect: 'always', leavesUpgradesOpen: true },
  ({ get, send, bearer, issuer }) => {
    it('forwards the verified identity from proxy.ts to a route handler', async () => {
      const token = await issuer.createToken('carol', { roles: ['editor'] })
      const response = await get('/api/whoami', bearer(token))
      expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({
        status: 200,
        body: { subject: 'carol', roles: ['editor'] },
      })
    })

    it('replaces a spoofed identity header with the verified one', async () => {
      const token = await issuer.createToken('carol')
      const response = await get('/api/whoami', bearer(token), spoof)
      expect(JSON.parse(response.body)).toEqual({ subject: 'carol', roles: [] })
    })

    it('refuses a spoofed identity header without a token in the proxy itself', async () => {
      const response = await get('/api/whoami', spoof)
      expect({ status: response.status, challenge: response.header('www-authenticate') }).toEqual({
        status: 401,
        challenge:
          'Bearer realm="covet-example", DPoP realm="covet-example", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
      })
    })

    it('answers TRACE, which Next.js cannot hand a route, with a 501 problem instead of its bare 500 (RFC 9110 §15.6.2)', async () => {
      for (const path of ['/health', '/me']) {
        const response = await send('TRACE', path)
        expect({ path, status: response.status, type: response.header('content-type') }).toEqual({
          path,
          status: 501,
          type: 'application/problem+json',
        })
      }
    })

    it('strips a spoofed identity header on an exempt path before the route sees it', async () => {
      const response = await get('/api/hello', spoof)
      expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({
        status: 200,
        body: { identityHeader: false, subject: null },
      })
    })
  },
)
