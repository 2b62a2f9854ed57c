import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  CredentialsMissingError,
  InsufficientScopeError,
  InvalidRequestError,
  KeySetUnavailableError,
  RefreshTokenReusedError,
  StoreFullError,
  StoreUnavailableError,
  TokenClaimsError,
  TokenExpiredError,
  TokenInvalidError,
  TokenNotYetValidError,
  TokenRevokedError,
  TokenTypeError,
} from '../errors.js'
import { answerFor, problemBody } from './problem.js'

describe('answerFor', () => {
  it('answers missing credentials with 401 and no Bearer error code', () => {
    expect(answerFor(new CredentialsMissingError())).toEqual({
      status: 401,
      bearerError: undefined,
      challenge: true,
      problem: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Authentication is required',
        code: 'ERR_CREDENTIALS_MISSING',
      },
    })
  })

  it('says an expired token expired', () => {
    expect(answerFor(new TokenExpiredError())).toEqual({
      status: 401,
      bearerError: 'invalid_token',
      challenge: true,
      problem: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The access token expired',
        code: 'ERR_TOKEN_EXPIRED',
      },
    })
  })

  it('never mentions expiry for an invalid token, whatever its message says', () => {
    const answer = answerFor(new TokenInvalidError('signature', 'exp claim expired yesterday'))
    expect(answer.problem.detail).toBe('The access token is invalid')
    expect(answer.problem.code).toBe('ERR_TOKEN_INVALID')
    expect(answer.bearerError).toBe('invalid_token')
    expect(JSON.stringify(answer)).not.toMatch(/expir/i)
  })

  it('gives every other token failure a fixed detail', () => {
    expect(answerFor(new TokenRevokedError()).problem.detail).toBe('The access token has been revoked')
    expect(answerFor(new RefreshTokenReusedError()).problem.detail).toBe('The access token has been revoked')
    expect(answerFor(new TokenTypeError()).problem.detail).toBe('The token is not an access token')
    expect(answerFor(new TokenNotYetValidError()).problem.detail).toBe('The access token is invalid')
    expect(answerFor(new TokenClaimsError(['tenant'])).problem.detail).toBe('The access token is invalid')
  })

  it('answers a malformed request with 400 invalid_request and its message', () => {
    expect(answerFor(new InvalidRequestError('The access token is empty'))).toEqual({
      status: 400,
      bearerError: 'invalid_request',
      challenge: true,
      problem: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The access token is empty',
        code: 'ERR_INVALID_REQUEST',
      },
    })
  })

  it('answers insufficient rights with 403 insufficient_scope', () => {
    expect(answerFor(new InsufficientScopeError(['admin']))).toEqual({
      status: 403,
      bearerError: 'insufficient_scope',
      challenge: true,
      problem: {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'The token does not grant access to this resource',
        code: 'ERR_INSUFFICIENT_SCOPE',
      },
    })
  })

  it('answers outages with 503, no Bearer error code and no challenge', () => {
    for (const error of [new StoreUnavailableError(), new KeySetUnavailableError(), new StoreFullError()]) {
      expect(answerFor(error)).toEqual({
        status: 503,
        bearerError: undefined,
        challenge: false,
        problem: {
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'Credentials cannot be verified right now; try again later',
          code: error.code,
        },
      })
    }
  })

  it('answers a server-side Covet error with 503 and without its message', () => {
    const answer = answerFor(new ConfigError('keys', 'secret abc is too short'))
    expect(answer.status).toBe(503)
    expect(answer.problem.detail).toBe('Credentials cannot be verified right now; try again later')
  })
})

describe('problemBody', () => {
  it('serialises the problem with its members in a stable order', () => {
    expect(problemBody(answerFor(new CredentialsMissingError()).problem)).toBe(
      '{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Authentication is required","code":"ERR_CREDENTIALS_MISSING"}',
    )
  })
})
