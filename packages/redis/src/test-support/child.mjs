// A store (and, when asked, an auth instance) in its own process, driven by JSON lines on stdin.
// Used by the cross-process tests: two stores in two processes sharing one Redis.
import { createRedisStore } from '../../dist/index.js'
import { serveOps, sleep, until } from './child-protocol.mjs'

const config = JSON.parse(process.argv[2])
const store = await createRedisStore(config.store)
let auth
if (config.secret) {
  const core = await import('@covet/core')
  auth = await core.createJwtAuth({
    algorithm: 'HS256',
    keys: config.secret,
    issuer: 'covet-test',
    audience: 'covet-test',
    revocation: store,
  })
}

const ops = {
  isRevoked: (ref) => store.isRevoked(ref),
  async waitRevoked(ref, timeoutMs) {
    const end = Date.now() + timeoutMs
    while (Date.now() < end) {
      if ((await store.isRevoked(ref)) === true) return { revoked: true }
      await sleep(1)
    }
    return { revoked: false }
  },
  revoke: (jti, exp) => store.revoke(jti, exp),
  revokeFamily: (fid, exp) => store.revokeFamily(fid, exp),
  async markUsedAt(jti, exp, atMs) {
    await until(atMs)
    return store.markUsed(jti, exp)
  },
  async advanceFamilyAt(fid, from, exp, atMs) {
    await until(atMs)
    return store.advanceFamily(fid, from, exp)
  },
  async verify(token) {
    await auth.verifyToken(token, { type: 'any' })
    return 'ok'
  },
  async waitVerifyFails(token, timeoutMs) {
    const end = Date.now() + timeoutMs
    while (Date.now() < end) {
      try {
        await auth.verifyToken(token, { type: 'any' })
      } catch (error) {
        return { code: error.code ?? String(error) }
      }
      await sleep(1)
    }
    return { code: 'still valid' }
  },
  async refreshAt(token, atMs) {
    await until(atMs)
    const pair = await auth.refreshAccessToken(token)
    return pair.refreshToken
  },
}

serveOps(ops, store)
