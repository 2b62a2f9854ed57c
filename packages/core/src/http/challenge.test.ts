import { describe, expect, it } from 'vitest'
import { bearerChallenge, quote } from './challenge.js'

describe('bearerChallenge', () => {
  it('names only the realm when no credentials were presented', () => {
    expect(bearerChallenge({ realm: 'api' })).toBe('Bearer realm="api"')
  })

  it('is the bare scheme with no attribute at all', () => {
    expect(bearerChallenge({})).toBe('Bearer')
  })

  it('carries the error code and description of an invalid token', () => {
    expect(
      bearerChallenge({ realm: 'api', error: 'invalid_token', errorDescription: 'The access token expired' }),
    ).toBe('Bearer realm="api", error="invalid_token", error_description="The access token expired"')
  })

  it('lists the required scope of an insufficient_scope error', () => {
    expect(bearerChallenge({ realm: 'api', error: 'insufficient_scope', scope: ['a', 'b'] })).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="a b"',
    )
  })

  it('leaves out scope tokens the grammar cannot express, and an empty scope', () => {
    expect(bearerChallenge({ error: 'insufficient_scope', scope: ['ok', 'bad"one', 'with space'] })).toBe(
      'Bearer error="insufficient_scope", scope="ok"',
    )
    expect(bearerChallenge({ error: 'insufficient_scope', scope: [] })).toBe(
      'Bearer error="insufficient_scope"',
    )
  })

  it('appends resource_metadata last', () => {
    expect(
      bearerChallenge({
        realm: 'api',
        error: 'invalid_token',
        errorDescription: 'The access token is invalid',
        resourceMetadata: 'https://api.test/.well-known/oauth-protected-resource',
      }),
    ).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is invalid", resource_metadata="https://api.test/.well-known/oauth-protected-resource"',
    )
  })

  it('drops from the description the characters RFC 6750 forbids there', () => {
    expect(bearerChallenge({ error: 'invalid_request', errorDescription: 'a "quoted" \\ é\nb' })).toBe(
      'Bearer error="invalid_request", error_description="a quoted  b"',
    )
  })

  it('sends no description when none is given', () => {
    expect(bearerChallenge({ realm: 'api', error: 'invalid_token' })).toBe(
      'Bearer realm="api", error="invalid_token"',
    )
  })
})

describe('quote', () => {
  it('escapes quotes and backslashes and drops control characters', () => {
    expect(quote('a"b\\c\r\nd')).toBe('"a\\"b\\\\cd"')
  })
})
