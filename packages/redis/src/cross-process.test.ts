import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { ChildStore } from './test-support/child.js'
import { deleteKeys, nowSeconds, REDIS_URL, token, uniquePrefix } from './test-support/redis.js'

// Two stores in two processes sharing one Redis: this process and children spawned from child.mjs.
const prefix = uniquePrefix('cross-process')
let local: RedisStore
let children: ChildStore[] = []

beforeAll(async () => {
  local = await createRedisStore({ url: REDIS_URL, prefix })
  children = await Promise.all([0, 1, 2].map(() => ChildStore.spawn({ store: { url: REDIS_URL, prefix } })))
}, 20_000)

afterAll(async () => {
  await Promise.all(children.map((child) => child.close()))
  await local.close()
  await deleteKeys(REDIS_URL, prefix)
})

describe('a revocation in one process', () => {
  it('is refused by a store in another process within 100 ms', async () => {
    const [other] = children
    const ref = token('cross-jti')
    expect(await other!.call('isRevoked', ref)).toMatchObject({ value: false })
    const watching = other!.call('waitRevoked', ref, 2000)
    await local.revoke('cross-jti', nowSeconds() + 600)
    // Timed from the acknowledged write to the first refusal in the other process (one machine clock).
    const written = Date.now()
    const seen = (await watching).value as { revoked: boolean; at: number }
    expect(seen.revoked).toBe(true)
    expect(seen.at - written).toBeLessThan(100)
  })

  it('of a family, made in another process, is refused here within 100 ms', async () => {
    const ref = token('any', 'hank', nowSeconds(), 'cross-family')
    expect(local.isRevoked(ref)).toBe(false)
    let seenAt = 0
    const watching = (async () => {
      while (local.isRevoked(ref) !== true) await new Promise((resolve) => setTimeout(resolve, 1))
      seenAt = Date.now()
    })()
    const reply = await children[1]!.call('revokeFamily', 'cross-family', nowSeconds() + 600)
    await watching
    expect(seenAt - (reply.value as { at: number }).at).toBeLessThan(100)
  })
})

describe('concurrent refresh markers across processes', () => {
  it('let exactly one of twelve markUsed calls on four processes win', async () => {
    const at = Date.now() + 300
    const exp = nowSeconds() + 600
    const remote = children.flatMap((child) =>
      [0, 1, 2].map(() => child.call('markUsedAt', 'cross-refresh', exp, at).then((r) => r.value)),
    )
    const mine = [0, 1, 2].map(async () => {
      while (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, 1))
      return local.markUsed('cross-refresh', exp)
    })
    const results = await Promise.all([...remote, ...mine])
    expect(results).toHaveLength(12)
    expect(results.filter((won) => won === true)).toHaveLength(1)
    expect(results.filter((won) => won === false)).toHaveLength(11)
  })
})
