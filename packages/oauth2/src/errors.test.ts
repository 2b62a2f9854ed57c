import { type RunningServer, serve } from '@covet/adapters/node'
import { COVET_ERROR_CODES, CovetError, isCovetError, withJwtAuth } from '@covet/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticateClient } from './clients/authenticate.js'
import { readClientCredentials } from './clients/credentials.js'
import { OAuthError } from './errors.js'
import * as oauth2 from './index.js'
import { OAUTH_ERRORS } from './test-support/expect.js'
import { makeAuth, makeClients, SECRETS } from './test-support/fixtures.js'

describe('OAuthError', () => {
  it("is a Covet error whose code follows its RFC 6749 error one to one, exported with core's codes", () => {
    expect(oauth2.OAuthError).toBe(OAuthError)
    for (const error of OAUTH_ERRORS) {
      const refusal = new OAuthError(error, 'A fixed sentence')
      expect(refusal).toBeInstanceOf(CovetError)
      expect(isCovetError(refusal)).toBe(true)
      expect(refusal.code).toBe(`ERR_OAUTH_${error.toUpperCase()}`)
      expect(Object.values(COVET_ERROR_CODES)).toContain(refusal.code)
      expect(OAuthError.codeOf(error)).toBe(refusal.code)
    }
  })

  it('is what authenticateClient and readClientCredentials throw, with code, status and challenge', async () => {
    const clients = makeClients()
    const wrong = { clientId: 'web', secret: 'wrong', method: 'client_secret_post' } as const
    await expect(authenticateClient(wrong, clients, 'api')).rejects.toMatchObject({
      code: 'ERR_OAUTH_INVALID_CLIENT',
      error: 'invalid_client',
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="api"' },
    })
    const basic = new Request('https://as.test/token', { headers: { authorization: 'Basic !!' } })
    expect(() => readClientCredentials(basic, new Map())).toThrow(
      expect.objectContaining({ code: 'ERR_OAUTH_INVALID_REQUEST', error: 'invalid_request', status: 400 }),
    )
  })
})

describe('an OAuth refusal escaping a handler that withJwtAuth wraps', () => {
  let server: RunningServer
  const reported: unknown[] = []
  let accessToken: string

  beforeAll(async () => {
    const auth = await makeAuth()
    const clients = makeClients()
    accessToken = await auth.createToken('alice')
    const handler = withJwtAuth(
      async () => {
        // An app route that also checks a client, and lets the refusal through.
        await authenticateClient(
          { clientId: 'web', secret: 'wrong', method: 'client_secret_post' },
          clients,
          'api',
        )
        return new Response('unreachable')
      },
      { auth, realm: 'api' },
    )
    server = await serve(handler, { reportError: (error) => reported.push(error) })
  })

  afterAll(() => server.close())

  it('is not answered 401 invalid_token (the access token is good): the adapter answers a bare 500', async () => {
    const response = await fetch(`${server.url}/reports`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    expect(response.status).toBe(500)
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    })
    expect(reported).toEqual([expect.objectContaining({ code: 'ERR_OAUTH_INVALID_CLIENT', status: 401 })])
    expect(SECRETS.web).not.toBe('wrong')
  })
})
