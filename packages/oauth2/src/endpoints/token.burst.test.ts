import { describe, expect, it } from 'vitest'
import { statuses } from '../test-support/counting-verifier.js'
import { post, read, SECRETS } from '../test-support/fixtures.js'
import { throttledEndpoint, useTokenEndpoint } from '../test-support/token-endpoint.js'

// RFC 6749 §4.3 password grant under a burst: the limit holds however many requests arrive at once.
const server = useTokenEndpoint()
const web = ['web', SECRETS.web] as const

describe('token endpoint: a burst of wrong passwords for one username', () => {
  it('checks at most the limit of 10 of 200 concurrent wrong passwords and answers the rest 429', async () => {
    const { seen, endpoint } = throttledEndpoint(server, {
      username: { limit: 10, window: '15m' },
      client: { limit: 1000, window: '15m' },
    })
    const burst = Array.from({ length: 200 }, (_, i) =>
      endpoint(post({ grant_type: 'password', username: 'alice', password: `wrong-${i}` }, { basic: web })),
    )
    const responses = await Promise.all(burst)
    expect(seen.wrong).toBe(10)
    expect(statuses(responses)).toEqual({ 400: 10, 429: 190 })
    const refused = await read(responses.find((response) => response.status === 429)!)
    expect(refused.headers['retry-after']).toBe('900')
    expect(refused.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) })
  })
})
