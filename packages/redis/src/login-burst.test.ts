import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChildStore } from './test-support/child.js'
import { deleteKeys, REDIS_URL, uniquePrefix } from './test-support/redis.js'

// Token endpoints in two processes (see login-child.mjs), throttled through one Redis: the limit of
// failed logins holds under bursts on one server and across both.
const prefix = uniquePrefix('login-burst')
const script = fileURLToPath(new URL('./test-support/login-child.mjs', import.meta.url))
let servers: [ChildStore, ChildStore]

interface Burst {
  statuses: Record<string, number>
  retryAfter: string | null
}

beforeAll(async () => {
  const spawn = () => ChildStore.spawn({ store: { url: REDIS_URL, prefix }, limit: 10 } as never, script)
  servers = [await spawn(), await spawn()]
}, 20_000)

afterAll(async () => {
  await Promise.all(servers?.map((server) => server.close()) ?? [])
  await deleteKeys(REDIS_URL, prefix)
})

async function call<T>(server: ChildStore, op: string, ...args: unknown[]): Promise<T> {
  const reply = await server.call(op, ...args)
  if (reply.error !== undefined) throw new Error(`${op} failed in the child: ${reply.error}`)
  return reply.value as T
}

const wrongChecks = async () =>
  (await Promise.all(servers.map((server) => call<{ wrong: number }>(server, 'seen')))).reduce(
    (sum, seen) => sum + seen.wrong,
    0,
  )

describe('failed logins throttled through Redis', { timeout: 20_000 }, () => {
  it('check at most 10 of 200 concurrent wrong passwords for one username on one server', async () => {
    const before = await wrongChecks()
    const burst = await call<Burst>(servers[0], 'burstAt', Date.now(), 200, 'erin', 'wrong')
    expect((await wrongChecks()) - before).toBe(10)
    expect(burst).toEqual({ statuses: { 400: 10, 429: 190 }, retryAfter: '900' })
  })

  it('check at most 10 of 2 × 100 wrong passwords sent at the same instant to two servers', async () => {
    const before = await wrongChecks()
    const at = Date.now() + 300
    const bursts = await Promise.all(
      servers.map((server) => call<Burst>(server, 'burstAt', at, 100, 'frank', 'wrong')),
    )
    expect((await wrongChecks()) - before).toBe(10)
    const total = (status: string) => bursts.reduce((sum, burst) => sum + (burst.statuses[status] ?? 0), 0)
    expect([total('400'), total('429')]).toEqual([10, 190])
    expect(Object.keys({ ...bursts[0]!.statuses, ...bursts[1]!.statuses }).sort()).toEqual(['400', '429'])
  })
})
