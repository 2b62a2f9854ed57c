import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, DEMO_APP, tokenRequest } from './http.js'
import { demoEnv, freePort, type Spawned, startBuiltDemo, waitUntilReady } from './process.js'

/** How many responses had each status. */
function statuses(responses: readonly Response[]): Record<number, number> {
  const count: Record<number, number> = {}
  for (const { status } of responses) count[status] = (count[status] ?? 0) + 1
  return count
}

/**
 * The attack of issue 12 §8 against a demo of its own: 1,000 failed logins with random usernames
 * through demo-app, all from one address. Called from demo.test.ts, after the README suite's build.
 */
export function limitsSuite(): void {
  describe('1,000 failed logins with random usernames through demo-app', () => {
    let demo: Spawned
    let base: string
    const guess = (username: string) =>
      tokenRequest(base, DEMO_APP, { grant_type: 'password', username, password: 'guess' })

    /** `count` failed logins with fresh random usernames, `parallel` at a time; resolves the usernames. */
    async function spray(count: number, parallel = 20): Promise<string[]> {
      const usernames = Array.from({ length: count }, () => `user-${crypto.randomUUID()}`)
      for (let i = 0; i < count; i += parallel) {
        const answers = await Promise.all(usernames.slice(i, i + parallel).map(guess))
        expect(statuses(answers)).toEqual({ 400: answers.length })
        await Promise.all(answers.map((answer) => answer.body?.cancel()))
      }
      return usernames
    }

    beforeAll(async () => {
      const port = await freePort()
      base = `http://127.0.0.1:${port}`
      demo = startBuiltDemo(demoEnv({ PORT: String(port), HOST: '127.0.0.1' }))
      await waitUntilReady(`${base}/health`, demo, 30_000)
    })
    afterAll(async () => {
      await demo?.kill()
    })

    it('slow the attacker to one guess per username, and leave alice signing in with her password', async () => {
      // The first 100 spend the budget of the address; every fresh username is still checked once.
      const first = await spray(100)
      const again = await guess(first[0]!)
      expect(again.status).toBe(429)
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(await again.json()).toMatchObject({ error: 'temporarily_unavailable' })
      // The next 900 spend demo-app's budget of 1,000 as well.
      const rest = await spray(900)
      expect((await guess(rest[rest.length - 1]!)).status).toBe(429)

      const alice = await tokenRequest(base, DEMO_APP, {
        grant_type: 'password',
        username: 'alice',
        password: 'alice-password',
      })
      expect(alice.status).toBe(200)
      const { access_token } = (await alice.json()) as { access_token: string }
      const me = await bearer(`${base}/me`, access_token)
      expect(me.status).toBe(200)
      expect(await me.json()).toMatchObject({ sub: 'alice' })
    }, 180_000)
  })
}
