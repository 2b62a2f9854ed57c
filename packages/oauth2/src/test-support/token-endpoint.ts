import type { JwtAuth } from '@covet/core'
import { beforeAll } from 'vitest'
import { createTokenEndpoint, type TokenEndpoint, type TokenEndpointOptions } from '../endpoints/token.js'
import { createMemoryLimiter, type MemoryLimiterOptions } from '../limiter/memory.js'
import { countingVerifier } from './counting-verifier.js'
import { frozenClock, makeAuth, makeClients, verifyUser } from './fixtures.js'

/** What the token-endpoint test files share. `auth` and `token` are ready inside tests. */
export interface TokenEndpointFixture {
  /** The standard clients (`makeClients()`). */
  readonly clients: ReturnType<typeof makeClients>
  /** A fresh auth on a frozen clock (`makeAuth()`). */
  readonly auth: JwtAuth<object>
  /** The endpoint over `auth`, `clients` and `verifyUser`, login throttling off (its own tests turn it on). */
  readonly token: TokenEndpoint
  /** Another endpoint over `auth`, `clients` and `verifyUser`, with `options` on top (throttling on by default). */
  create(options?: Partial<TokenEndpointOptions>): TokenEndpoint
}

/** The setup of a token-endpoint test file; call it once, at the top of the file. */
export function useTokenEndpoint(): TokenEndpointFixture {
  const clients = makeClients()
  let auth: JwtAuth<object> | undefined
  let token: TokenEndpoint | undefined
  const fixture: TokenEndpointFixture = {
    clients,
    get auth() {
      if (auth === undefined) throw new Error('the token endpoint fixture is ready inside tests only')
      return auth
    },
    get token() {
      if (token === undefined) throw new Error('the token endpoint fixture is ready inside tests only')
      return token
    },
    create: (options = {}) => createTokenEndpoint({ auth: fixture.auth, clients, verifyUser, ...options }),
  }
  beforeAll(async () => {
    auth = await makeAuth()
    token = fixture.create({ limiter: false, clientLimiter: false })
  })
  return fixture
}

type Limit = Pick<MemoryLimiterOptions, 'limit' | 'window'>

/**
 * Another endpoint of `fixture` whose password check counts (`countingVerifier`), with failed logins
 * limited in memory on one frozen clock, per username and per client; `options` on top.
 */
export function throttledEndpoint(
  fixture: TokenEndpointFixture,
  limits: { username: Limit; client: Limit },
  options: Partial<TokenEndpointOptions> = {},
) {
  const clock = frozenClock()
  const { seen, verifyUser } = countingVerifier()
  const endpoint = fixture.create({
    verifyUser,
    limiter: createMemoryLimiter({ ...limits.username, clock: clock.now }),
    clientLimiter: createMemoryLimiter({ ...limits.client, clock: clock.now }),
    ...options,
  })
  return { clock, seen, endpoint }
}
