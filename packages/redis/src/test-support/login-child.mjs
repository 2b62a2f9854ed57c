// A token endpoint in its own process, throttled by the Redis store's limiters and driven by JSON
// lines on stdin (the protocol of child.mjs). Used by the login-burst tests: two servers, one Redis.
import { createJwtAuth } from '@covet/core'
import { createTokenEndpoint, hashClientSecret, verifyClientSecret } from '@covet/oauth2'
import { createRedisStore } from '../../dist/index.js'
import { serveOps, until } from './child-protocol.mjs'

const config = JSON.parse(process.argv[2])
const store = await createRedisStore(config.store)
const auth = await createJwtAuth({
  algorithm: 'HS256',
  keys: 'a-test-secret-of-at-least-thirty-two-bytes!!',
  issuer: 'covet-test',
  audience: 'covet-test',
  warn: () => {},
})
const PASSWORD = 'the right password'
const hash = await hashClientSecret(PASSWORD, { iterations: 1000 })
const seen = { wrong: 0, right: 0 }
const endpoint = createTokenEndpoint({
  auth,
  clients: [
    {
      clientId: 'web',
      secretHash: await hashClientSecret('web-secret-0123456789', { iterations: 1000 }),
      grantTypes: ['password'],
    },
  ],
  // A real (if cheap) password hash, so checks take the time they take on a real server.
  async verifyUser(username, password) {
    const right = await verifyClientSecret(password, hash)
    if (right) seen.right++
    else seen.wrong++
    return right ? { subject: username } : null
  },
  limiter: store.limiter({ name: 'username', limit: config.limit, window: '15m' }),
  clientLimiter: store.limiter({ name: 'client', limit: 1000, window: '15m' }),
})

const login = (username, password) =>
  endpoint(
    new Request('http://covet.test/oauth/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa('web:web-secret-0123456789')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'password', username, password }),
    }),
  )

const ops = {
  /** At `atMs`, send `count` logins at once; resolves how many got each status, and one Retry-After. */
  async burstAt(atMs, count, username, password) {
    await until(atMs)
    const responses = await Promise.all(Array.from({ length: count }, () => login(username, password)))
    const statuses = {}
    for (const { status } of responses) statuses[status] = (statuses[status] ?? 0) + 1
    return {
      statuses,
      retryAfter: responses.find((r) => r.status === 429)?.headers.get('retry-after') ?? null,
    }
  },
  seen: () => ({ ...seen }),
}

serveOps(ops, store)
