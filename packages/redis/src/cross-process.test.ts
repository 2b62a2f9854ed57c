import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from './index.js'
import { ChildStore } from './test-support/child.js'
import { deleteKeys, nowSeconds, REDIS_URL, token, uniquePrefix, until } from './test-support/redis.js'

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
  // How fast it travels is measured by `pnpm bench:redis` (target: 100 ms), not asserted here.
  it('is refused by a store in another process, pushed to it over the channel', async () => {
    const [other] = children
    const ref = token('cross-jti')
    expect(await other!.call('isRevoked', ref)).toMatchObject({ value: false })
    const watching = other!.call('waitRevoked', ref, 5000)
    await local.revoke('cross-jti', nowSeconds() + 600)
    expect(((await watching).value as { revoked: boolean }).revoked).toBe(true)
  })

  it('of a family, made in another process, is refused here', async () => {
    const ref = token('any', 'hank', nowSeconds(), 'cross-family')
    expect(local.isRevoked(ref)).toBe(false)
    await children[1]!.call('revokeFamily', 'cross-family', nowSeconds() + 600)
    await until(() => local.isRevoked(ref) === true, 5000)
    expect(local.isRevoked(token('other', 'hank', nowSeconds(), 'cross-family'))).toBe(true)
    expect(local.isRevoked(token('other', 'hank', nowSeconds(), 'another-family'))).toBe(false)
  })
})

describe('concurrent rotations of one family across processes', () => {
  it('let exactly one of twelve advanceFamily calls on four processes move the family on', async () => {
    const at = Date.now() + 300
    const exp = nowSeconds() + 600
    const remote = children.flatMap((child) =>
      [0, 1, 2].map(() => child.call('advanceFamilyAt', 'cross-family-gen', 0, exp, at).then((r) => r.value)),
    )
    const mine = [0, 1, 2].map(async () => {
      while (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, 1))
      return local.advanceFamily('cross-family-gen', 0, exp)
    })
    const results = await Promise.all([...remote, ...mine])
    expect(results).toHaveLength(12)
    expect(results.filter((won) => won === true)).toHaveLength(1)
    expect(results.filter((won) => won === false)).toHaveLength(11)
  })
})

describe('concurrent single-use markers across processes', () => {
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
