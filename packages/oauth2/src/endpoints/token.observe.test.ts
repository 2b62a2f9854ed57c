import type { CovetEvent, JwtAuth } from '@covet/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { makeAuth, makeClients, post, read, SECRETS, verifyUser } from '../test-support/fixtures.js'
import { createTokenEndpoint, type TokenEndpoint, type TokenRequestOutcome } from './token.js'

// token.observe: a start/end hook around each token request (what @covet/otel times and traces).

const web = ['web', SECRETS.web] as const
const batch = ['batch', SECRETS.batch] as const

let auth: JwtAuth<object>
let token: TokenEndpoint
let outcomes: TokenRequestOutcome[]
let events: CovetEvent[]

beforeEach(async () => {
  auth = await makeAuth()
  token = createTokenEndpoint({ auth, clients: makeClients(), verifyUser, clientLimiter: false })
  outcomes = []
  events = []
  token.observe({ onRequest: () => (outcome) => outcomes.push(outcome) })
  auth.observe({ onEvent: (event) => events.push(event) })
})

const login = (password: string) =>
  token(post({ grant_type: 'password', username: 'alice', password }, { basic: web }))

describe('token endpoint: observe', () => {
  it('tells the grant, the authenticated client and the status of a successful request', async () => {
    const response = await login('correct horse battery staple')
    expect(response.status).toBe(200)
    expect(outcomes).toEqual([{ grantType: 'password', clientId: 'web', status: 200, error: undefined }])
  })

  it('tells the RFC 6749 error of a refused request, and names the client only once it authenticated', async () => {
    await login('wrong')
    await token(post({ grant_type: 'client_credentials' }, { basic: ['batch', 'not-the-secret'] }))
    await token(post({ grant_type: 'password' }, { basic: web }))
    await token(post('', { method: 'GET' }))
    await token(post({ grant_type: 'made_up' }, { basic: web }))
    expect(outcomes).toEqual([
      { grantType: 'password', clientId: 'web', status: 400, error: 'invalid_grant' },
      { grantType: 'client_credentials', clientId: undefined, status: 401, error: 'invalid_client' },
      { grantType: 'password', clientId: 'web', status: 400, error: 'invalid_request' },
      { grantType: undefined, clientId: undefined, status: 405, error: 'invalid_request' },
      { grantType: undefined, clientId: undefined, status: 400, error: 'unsupported_grant_type' },
    ])
  })

  it('tells a throttled login as 429 temporarily_unavailable', async () => {
    for (let i = 0; i < 11; i++) await login('wrong')
    expect(outcomes.at(-1)).toEqual({
      grantType: 'password',
      clientId: 'web',
      status: 429,
      error: 'temporarily_unavailable',
    })
  })

  it('issues tokens under their grant type, so token.issued events name it', async () => {
    const pair = (await read(await login('correct horse battery staple'))).body!
    await token(
      post({ grant_type: 'refresh_token', refresh_token: pair.refresh_token as string }, { basic: web }),
    )
    await token(post({ grant_type: 'client_credentials' }, { basic: batch }))
    const issued = events.flatMap((event) =>
      event.type === 'token.issued' ? [[event.tokenType, event.grantType, event.clientId]] : [],
    )
    expect(issued).toEqual([
      ['access', 'password', 'web'],
      ['refresh', 'password', 'web'],
      ['access', 'refresh_token', 'web'],
      ['refresh', 'refresh_token', 'web'],
      ['access', 'client_credentials', 'batch'],
    ])
  })

  it('stops telling an observer once removed, and ignores one that throws', async () => {
    const quiet = createTokenEndpoint({ auth, clients: makeClients(), verifyUser })
    const seen: number[] = []
    const stop = quiet.observe({ onRequest: () => (outcome) => seen.push(outcome.status) })
    quiet.observe({
      onRequest: () => () => {
        throw new Error('sink down')
      },
    })
    quiet.observe({
      onRequest: () => {
        throw new Error('sink down')
      },
    })
    expect((await quiet(post({ grant_type: 'client_credentials' }, { basic: batch }))).status).toBe(200)
    stop()
    expect((await quiet(post({ grant_type: 'client_credentials' }, { basic: batch }))).status).toBe(200)
    expect(seen).toEqual([200])
  })
})
