import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import {
  COVET_ERROR_CODES,
  ConfigError,
  CovetError,
  InsufficientScopeError,
  StoreUnavailableError,
} from '../errors.js'
import { MemoryRevocationStore } from '../revocation/memory-store.js'
import type { RevocationStore } from '../revocation/store.js'
import type { JwtAuth } from '../types.js'
import type { WithJwtAuthOptions } from './options.js'
import { withJwtAuth } from './with-jwt-auth.js'

const SECRET = 'http-layer-errors-secret-0123456789abcdef'
const clock = () => Date.UTC(2026, 0, 1, 12)

/** A store whose lookups fail the way an unreachable Redis does. */
function unreachableStore(): RevocationStore {
  const store = new MemoryRevocationStore({ clock })
  return Object.assign(Object.create(store) as RevocationStore, {
    isRevoked: () => Promise.reject(new StoreUnavailableError()),
  })
}

const ok = () => new Response('ok')
const request = (token?: string) =>
  new Request(
    'https://api.test/me',
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  )

const UNAVAILABLE = {
  type: 'about:blank',
  title: 'Service Unavailable',
  status: 503,
  detail: 'Credentials cannot be verified right now; try again later',
}

describe('withJwtAuth when the revocation store is down', () => {
  it('fails closed with a 503 problem and no challenge', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: SECRET,
      clock,
      revocation: unreachableStore(),
    })
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await withJwtAuth(ok, { auth, realm: 'api' })(request(accessToken))
    expect(res.status).toBe(503)
    expect(res.headers.get('www-authenticate')).toBeNull()
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({ ...UNAVAILABLE, code: 'ERR_STORE_UNAVAILABLE' })
  })

  it('lets valid tokens through when createJwtAuth was told to fail open', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: SECRET,
      clock,
      revocation: unreachableStore(),
      failOpen: true,
    })
    const { accessToken } = await auth.createTokenPair('alice')
    const res = await withJwtAuth(ok, { auth })(request(accessToken))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ok')
  })
})

describe('withJwtAuth when the remote key set is unreachable', () => {
  it('answers 503 with ERR_KEYSET_UNAVAILABLE', async () => {
    const issuer = await createJwtAuth({ algorithm: 'ES256', keys: undefined, clock, warn: () => {} })
    const { accessToken } = await issuer.createTokenPair('alice')
    const auth = await createJwtAuth({
      algorithm: 'ES256',
      jwksUri: 'http://127.0.0.1:9/jwks.json',
      audience: false,
      jwks: { timeout: '2s' },
      clock,
    })
    const res = await withJwtAuth(ok, { auth })(request(accessToken))
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ ...UNAVAILABLE, code: 'ERR_KEYSET_UNAVAILABLE' })
  })
})

describe('withJwtAuth error handling', () => {
  it('answers a verification that throws something unexpected with 401, never a 500 or a leak', async () => {
    const real = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    const broken: JwtAuth = Object.assign(Object.create(real) as JwtAuth, {
      verifyToken: () => Promise.reject(new TypeError('secret=hunter2 at verify.ts:1')),
    })
    const res = await withJwtAuth(ok, { auth: broken, realm: 'api' })(request('abc.def.ghi'))
    expect(res.status).toBe(401)
    const body = await res.text()
    expect(body).not.toContain('hunter2')
    expect(JSON.parse(body).code).toBe('ERR_TOKEN_INVALID')
  })

  it('answers a Covet error thrown by the handler like its own', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    const { accessToken } = await auth.createTokenPair('alice')
    const guarded = withJwtAuth(
      () => {
        throw new InsufficientScopeError(['admin', 'write'])
      },
      { auth, realm: 'api' },
    )
    const res = await guarded(request(accessToken))
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token does not grant access to this resource", scope="admin write"',
    )
  })

  it('rethrows any other exception from the handler', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    const { accessToken } = await auth.createTokenPair('alice')
    const failing = withJwtAuth(
      () => {
        throw new RangeError('handler bug')
      },
      { auth },
    )
    await expect(failing(request(accessToken))).rejects.toThrow(new RangeError('handler bug'))
  })

  it('rethrows an OAuth refusal (another package of the family): it is no verdict on the access token', async () => {
    // As @covet/oauth2's authenticateClient throws it: a Covet error with the RFC 6749 status 401.
    class OAuthRefusal extends CovetError {
      static readonly code = COVET_ERROR_CODES.OAUTH_INVALID_CLIENT
      readonly code = OAuthRefusal.code
      override readonly status = 401
    }
    const refusal = new OAuthRefusal('Client authentication failed')
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    const { accessToken } = await auth.createTokenPair('alice')
    const failing = withJwtAuth(
      () => {
        throw refusal
      },
      { auth, realm: 'api' },
    )
    await expect(failing(request(accessToken))).rejects.toBe(refusal)
  })

  it('lets onError replace every error answer, and keeps the default when it returns undefined', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    const seen: string[] = []
    const hooked = withJwtAuth(ok, {
      auth,
      onError(error, req) {
        seen.push(`${error.code} ${new URL(req.url).pathname}`)
        if (error.code === 'ERR_CREDENTIALS_MISSING') return new Response('log in first', { status: 401 })
        return undefined
      },
    })
    const custom = await hooked(request())
    expect(custom.status).toBe(401)
    expect(await custom.text()).toBe('log in first')
    const fallback = await hooked(request('not-a-jwt'))
    expect(fallback.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    )
    expect(seen).toEqual(['ERR_CREDENTIALS_MISSING /me', 'ERR_TOKEN_INVALID /me'])
  })
})

describe('withJwtAuth options', () => {
  const configError = async (options: Partial<WithJwtAuthOptions>): Promise<string> => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    try {
      withJwtAuth(ok, { auth, ...options } as WithJwtAuthOptions)
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      return (error as ConfigError).message
    }
    throw new Error('expected a ConfigError')
  }

  it('refuses a missing or wrong auth', async () => {
    expect(await configError({ auth: undefined as unknown as JwtAuth })).toBe(
      'auth: must be the object createJwtAuth returned',
    )
  })

  it('names the offending field', async () => {
    expect(await configError({ exemptPaths: ['login'] })).toBe(
      'exemptPaths[0]: a path pattern must start with "/"',
    )
    expect(await configError({ optionalPaths: ['/a', '/b/*/c'] })).toBe(
      'optionalPaths[1]: "*" is only allowed as a final "/*"',
    )
    expect(await configError({ realm: 'a\r\nb' })).toBe('realm: must hold printable ASCII characters only')
    expect(await configError({ tokenSources: { cookie: 'bad name' } })).toBe(
      'tokenSources.cookie: must be a cookie name (RFC 6265 §4.1.1)',
    )
    expect(await configError({ corsPreflight: 'yes' as unknown as boolean })).toMatch(/^corsPreflight: /)
  })

  it('leaves failing open to createJwtAuth: a failOpen given to withJwtAuth changes nothing', async () => {
    const auth = await createJwtAuth({
      algorithm: 'HS256',
      keys: SECRET,
      clock,
      revocation: unreachableStore(),
    })
    const { accessToken } = await auth.createTokenPair('alice')
    const options = { auth, failOpen: true } as WithJwtAuthOptions
    const res = await withJwtAuth(ok, options)(request(accessToken))
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ ...UNAVAILABLE, code: 'ERR_STORE_UNAVAILABLE' })
  })

  it('refuses a handler that is not a function', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: SECRET, clock })
    expect(() => withJwtAuth(undefined as unknown as () => Response, { auth })).toThrow(
      new ConfigError('handler', 'must be a function'),
    )
  })
})
