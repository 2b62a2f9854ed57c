import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { OAuthErrorCode } from '../errors.js'
import { useFormEndpoints } from '../test-support/endpoints.js'
import { OAUTH_ERRORS } from '../test-support/expect.js'
import { basic, ISSUER, SECRETS, USERS } from '../test-support/fixtures.js'

// Whatever a client sends these endpoints, the answer is one RFC 6749 §5.2 (or RFC 7009 / 7662)
// names: never a 5xx, never a body that is not JSON, never a secret or a password echoed back.

const setup = useFormEndpoints()
let tokens: string[]

beforeAll(async () => {
  const pair = await setup.auth.createTokenPair('alice', { clientId: 'web', scope: 'read' })
  tokens = [pair.accessToken, pair.refreshToken]
})

// The codes of these endpoints: all but the authorization endpoint's own (RFC 6749 §4.1.2.1, OIDC).
const AUTHORIZATION_ONLY = [
  'server_error',
  'unsupported_response_type',
  'access_denied',
  'login_required',
  'consent_required',
]
const CODES = OAUTH_ERRORS.filter((code) => !AUTHORIZATION_ONLY.includes(code))
// Every secret the fixtures know, as a client would send it: none may come back in an answer.
const SECRET_VALUES = [...Object.values(SECRETS), ...Object.values(USERS).map((user) => user.password)]

// Stand-ins for the access and refresh tokens issued before the run, replaced when a body is built.
const ACCESS = '\u0000access'
const REFRESH = '\u0000refresh'
const names = fc.constantFrom(
  'grant_type',
  'client_id',
  'client_secret',
  'username',
  'password',
  'scope',
  'refresh_token',
  'token',
  'token_type_hint',
  'code',
  'redirect_uri',
  'code_verifier',
  '__proto__',
  'constructor',
  '',
)
const values = fc.oneof(
  fc.constantFrom(
    'client_credentials',
    'password',
    'refresh_token',
    'authorization_code',
    'access_token',
    'web',
    'batch',
    'an:identifier',
    'alice',
    'reports',
    'read write',
    ACCESS,
    REFRESH,
    ...SECRET_VALUES,
  ),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[%A-Za-z0-9+&=;.~-]{0,30}$/),
)
const FORM = 'application/x-www-form-urlencoded'
const contentType = fc.oneof(
  { arbitrary: fc.constant(FORM), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      `${FORM};charset=UTF-8`,
      'APPLICATION/X-WWW-FORM-URLENCODED; charset=latin1',
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      undefined,
    ),
    weight: 2,
  },
)
// Clients with their own secret, most of the time: a request that authenticates reaches the grants.
const CLIENT_SECRETS = [
  ['web', SECRETS.web],
  ['batch', SECRETS.batch],
  ['other', SECRETS.other],
  ['an:identifier', SECRETS.odd],
  ['rs', SECRETS.rs],
] as const
const authorization = fc.oneof(
  { arbitrary: fc.constantFrom(...CLIENT_SECRETS).map(([id, secret]) => basic(id, secret)), weight: 5 },
  { arbitrary: fc.constant(undefined), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('web', 'batch', 'nobody'), fc.constantFrom(...SECRET_VALUES, 'wrong'))
      .map(([id, secret]) => basic(id, secret)),
    weight: 1,
  },
  {
    arbitrary: fc.oneof(
      fc.constantFrom(
        'Basic',
        'Basic !!!',
        'Basic %zz',
        `Basic ${btoa('web')}`,
        `Basic ${btoa('%zz:x')}`,
        'Bearer x',
      ),
      fc.string({ maxLength: 30 }).map((junk) => `Basic ${btoa(unescape(encodeURIComponent(junk)))}`),
    ),
    weight: 1,
  },
)
// Mostly a grant, a token or both, then anything.
const form = fc
  .tuple(
    fc.oneof(
      fc
        .constantFrom('client_credentials', 'password', 'refresh_token', 'authorization_code')
        .map((grant) => [{ name: 'grant_type', value: grant, raw: false }]),
      fc.constantFrom(ACCESS, REFRESH).map((token) => [{ name: 'token', value: token, raw: false }]),
      fc.constant([]),
    ),
    fc.array(fc.tuple(names, values, fc.boolean()), { maxLength: 5 }),
  )
  .map(([first, rest]) => [...first, ...rest.map(([name, value, raw]) => ({ name, value, raw }))])
const request = fc.record({
  endpoint: fc.constantFrom('token', 'revoke', 'introspect'),
  method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 8 }, fc.constantFrom('GET', 'PUT')),
  contentType,
  authorization,
  form,
  invalidUtf8: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, fc.constant(true)),
})

describe('the token, revocation and introspection endpoints, sent anything', () => {
  it('answer every request with a named OAuth error or a success, and echo no secret', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (sent) => {
        const body = sent.form
          .map(({ name, value, raw }) => {
            const text = value === ACCESS ? tokens[0]! : value === REFRESH ? tokens[1]! : value
            return `${encodeURIComponent(name)}=${raw ? text : encodeURIComponent(text)}`
          })
          .join('&')
        const bytes = new TextEncoder().encode(body)
        const headers = new Headers()
        if (sent.contentType !== undefined) headers.set('content-type', sent.contentType)
        if (sent.authorization !== undefined) headers.set('authorization', sent.authorization)
        const response = await setup.endpoints[sent.endpoint](
          new Request(`${ISSUER}/oauth/${sent.endpoint}`, {
            method: sent.method,
            headers,
            ...(sent.method === 'GET'
              ? {}
              : { body: sent.invalidUtf8 ? new Uint8Array([...bytes, 0xff, 0xfe]) : bytes }),
          }),
        )
        const text = await response.text()
        expect(response.status).toBeLessThan(500)
        expect(response.headers.get('cache-control')).toBe('no-store')
        for (const secret of SECRET_VALUES) expect(text).not.toContain(secret)
        if (response.status === 200) return
        expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8')
        const answer = JSON.parse(text) as { error: OAuthErrorCode }
        expect(CODES).toContain(answer.error)
        // RFC 6749 §5.2: a client that tried the Authorization header gets its scheme's challenge.
        if (response.status === 401 && sent.authorization !== undefined) {
          expect(response.headers.get('www-authenticate')).toMatch(/^Basic /)
        }
      }),
      { numRuns: 400, seed: 20261206 },
    )
  })
})
