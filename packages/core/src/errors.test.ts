import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { DpopNonceError, DpopProofError, TokenBindingError } from './dpop/errors.js'
import {
  BodyTooLargeError,
  COVET_ERROR_CODES,
  ConfigError,
  type CovetError,
  CredentialsMissingError,
  IncompatibleCoreError,
  InsufficientScopeError,
  InvalidArgumentError,
  InvalidRequestError,
  isCovetError,
  KeySetUnavailableError,
  MalformedRequestError,
  RefreshRateLimitedError,
  RefreshTokenReusedError,
  ScopeWidenedError,
  StoreFullError,
  StoreUnavailableError,
  TokenClaimsError,
  TokenExpiredError,
  TokenInvalidError,
  TokenNotYetValidError,
  TokenRevokedError,
  TokenTypeError,
} from './errors.js'
import * as core from './index.js'

/** One instance of every concrete error class, and the class itself. */
const EVERY: ReadonlyArray<readonly [{ readonly code: string }, CovetError]> = [
  [ConfigError, new ConfigError('keys', 'must not be empty')],
  [InvalidArgumentError, new InvalidArgumentError('ttl must be a duration')],
  [TokenInvalidError, new TokenInvalidError()],
  [TokenExpiredError, new TokenExpiredError()],
  [TokenNotYetValidError, new TokenNotYetValidError()],
  [TokenRevokedError, new TokenRevokedError()],
  [RefreshTokenReusedError, new RefreshTokenReusedError()],
  [RefreshRateLimitedError, new RefreshRateLimitedError(30)],
  [TokenTypeError, new TokenTypeError()],
  [TokenClaimsError, new TokenClaimsError()],
  [ScopeWidenedError, new ScopeWidenedError()],
  [CredentialsMissingError, new CredentialsMissingError()],
  [InvalidRequestError, new InvalidRequestError('The Authorization header is malformed')],
  [MalformedRequestError, new MalformedRequestError()],
  [BodyTooLargeError, new BodyTooLargeError(16384)],
  [InsufficientScopeError, new InsufficientScopeError(['admin'])],
  [StoreUnavailableError, new StoreUnavailableError()],
  [StoreFullError, new StoreFullError()],
  [KeySetUnavailableError, new KeySetUnavailableError()],
  [IncompatibleCoreError, new IncompatibleCoreError([1, 2])],
  [TokenBindingError, new TokenBindingError()],
  [DpopProofError, new DpopProofError('replayed')],
  [DpopNonceError, new DpopNonceError('nonce-value')],
]

describe('the Covet error family', () => {
  it('carries one code on each class and the same code on its instances, as jose does', () => {
    for (const [Class, error] of EVERY) {
      expect(error.code).toBe(Class.code)
      expect(Object.values(COVET_ERROR_CODES)).toContain(error.code)
    }
    expect(new Set(EVERY.map(([Class]) => Class.code)).size).toBe(EVERY.length)
  })

  it('exports every code as a frozen run-time constant, each once, keyed by its name without ERR_', () => {
    expect(Object.isFrozen(COVET_ERROR_CODES)).toBe(true)
    for (const [name, code] of Object.entries(COVET_ERROR_CODES)) expect(code).toBe(`ERR_${name}`)
    expect(core.COVET_ERROR_CODES).toBe(COVET_ERROR_CODES)
    expect(COVET_ERROR_CODES.TOKEN_EXPIRED).toBe(TokenExpiredError.code)
  })

  it("keeps @covet/oauth2's RFC 6749 refusals in the same family", () => {
    expect(COVET_ERROR_CODES).toMatchObject({
      OAUTH_INVALID_REQUEST: 'ERR_OAUTH_INVALID_REQUEST',
      OAUTH_INVALID_CLIENT: 'ERR_OAUTH_INVALID_CLIENT',
      OAUTH_INVALID_GRANT: 'ERR_OAUTH_INVALID_GRANT',
      OAUTH_UNAUTHORIZED_CLIENT: 'ERR_OAUTH_UNAUTHORIZED_CLIENT',
      OAUTH_UNSUPPORTED_GRANT_TYPE: 'ERR_OAUTH_UNSUPPORTED_GRANT_TYPE',
      OAUTH_INVALID_SCOPE: 'ERR_OAUTH_INVALID_SCOPE',
      OAUTH_TEMPORARILY_UNAVAILABLE: 'ERR_OAUTH_TEMPORARILY_UNAVAILABLE',
      OAUTH_SERVER_ERROR: 'ERR_OAUTH_SERVER_ERROR',
    })
  })
})

describe('errors that refuse a token', () => {
  it('capture no stack: they answer a client, and the program did nothing wrong', () => {
    const before = (Error as { stackTraceLimit?: number }).stackTraceLimit
    const error = new TokenInvalidError('signature')
    expect(error.stack).toBe('TokenInvalidError: The token is invalid')
    expect((Error as { stackTraceLimit?: number }).stackTraceLimit).toBe(before)
    expect(new ConfigError('x', 'bad').stack).toMatch(/\n\s+at /)
  })
})

describe('isCovetError', () => {
  it('accepts every Covet error', () => {
    for (const [, error] of EVERY) expect(isCovetError(error)).toBe(true)
  })

  it('accepts an error from another copy of @covet/core or another realm: a known code and a status', () => {
    const fromAnotherRealm = runInNewContext(
      "Object.assign(new Error('The token has expired'), { name: 'TokenExpiredError', code: 'ERR_TOKEN_EXPIRED', status: 401 })",
    )
    expect(fromAnotherRealm instanceof Error).toBe(false)
    expect(isCovetError(fromAnotherRealm)).toBe(true)
  })

  it('refuses an error whose code only looks like one of ours', () => {
    // Node's own errors carry ERR_ codes; an error of another library may have a status too.
    const lookalikes = [
      Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE', status: 500 }),
      Object.assign(new Error('Client authentication failed'), { code: 'ERR_OAUTH', status: 401 }),
      { code: 'ERR_TOKEN_EXPIRED' },
      { code: 'ERR_TOKEN_EXPIRED', status: '401', message: 'x' },
      'ERR_TOKEN_EXPIRED',
      null,
    ]
    for (const value of lookalikes) expect(isCovetError(value)).toBe(false)
  })
})
