import type { JwtAuth } from '@covet/core'
import { beforeAll } from 'vitest'
import { createIntrospectionEndpoint } from '../endpoints/introspection.js'
import { createRevocationEndpoint } from '../endpoints/revocation.js'
import { createTokenEndpoint } from '../endpoints/token.js'
import { makeAuth, makeClients, verifyUser } from './fixtures.js'

/** The endpoints that read a client's form, by the last segment of their path. */
export type FormEndpoint = 'token' | 'revoke' | 'introspect'

/** What `useFormEndpoints` sets up; `auth` and `endpoints` are ready inside tests. */
export interface FormEndpoints {
  readonly auth: JwtAuth<object>
  readonly endpoints: Record<FormEndpoint, (request: Request) => Promise<Response>>
}

/**
 * The token, revocation and introspection endpoints over one fresh auth and the standard clients,
 * set up before the file's tests; call it once, at the top of the file.
 */
export function useFormEndpoints(): FormEndpoints {
  const clients = makeClients()
  let ready: FormEndpoints | undefined
  beforeAll(async () => {
    const auth = await makeAuth()
    ready = {
      auth,
      endpoints: {
        token: createTokenEndpoint({ auth, clients, verifyUser }),
        revoke: createRevocationEndpoint({ auth, clients }),
        introspect: createIntrospectionEndpoint({ auth, clients }),
      },
    }
  })
  const get = (): FormEndpoints => {
    if (ready === undefined) throw new Error('the endpoints are ready inside tests only')
    return ready
  }
  return {
    get auth() {
      return get().auth
    },
    get endpoints() {
      return get().endpoints
    },
  }
}
