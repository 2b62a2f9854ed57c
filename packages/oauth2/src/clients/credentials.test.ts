import { describe, expect, it } from 'vitest'
import { basic, post } from '../test-support/fixtures.js'
import { readClientCredentials } from './credentials.js'

const form = (entries: Record<string, string> = {}) => new Map(Object.entries(entries))
const withAuthorization = (value: string) => post('', { headers: { authorization: value } })

describe('readClientCredentials', () => {
  it('decodes the RFC 6749 §2.3.1 form-urlencoding of a Basic id and secret', () => {
    const request = post('', { basic: ['an:identifier', 'some secure & non-standard secret'] })
    expect(request.headers.get('authorization')).toBe(
      `Basic ${btoa('an%3Aidentifier:some+secure+%26+non-standard+secret')}`,
    )
    expect(readClientCredentials(request, form())).toEqual({
      clientId: 'an:identifier',
      secret: 'some secure & non-standard secret',
      method: 'client_secret_basic',
    })
  })

  it('reads the scheme case-insensitively and keeps a colon inside the secret', () => {
    const header = `bAsIc ${btoa('web:pa%3Ass:word')}`
    expect(readClientCredentials(withAuthorization(header), form())).toMatchObject({
      clientId: 'web',
      secret: 'pa:ss:word',
    })
  })

  it('reads client_secret_post from the body', () => {
    expect(readClientCredentials(post(''), form({ client_id: 'web', client_secret: 's' }))).toEqual({
      clientId: 'web',
      secret: 's',
      method: 'client_secret_post',
    })
  })

  it('answers undefined when no credentials are sent, and a missing secret when only an id is', () => {
    expect(readClientCredentials(post(''), form())).toBeUndefined()
    expect(readClientCredentials(post(''), form({ client_id: 'web' }))).toMatchObject({ secret: undefined })
    expect(readClientCredentials(withAuthorization(`Basic ${btoa('web:')}`), form())).toMatchObject({
      secret: undefined,
    })
  })

  it('ignores an Authorization header of another scheme', () => {
    expect(readClientCredentials(withAuthorization('Bearer abc'), form())).toBeUndefined()
  })

  it('accepts a body client_id equal to the Basic one', () => {
    const request = post('', { basic: ['web', 's'] })
    expect(readClientCredentials(request, form({ client_id: 'web' }))).toMatchObject({ clientId: 'web' })
  })

  const invalid: Array<[string, Request, Map<string, string>]> = [
    ['Basic and body secret together', post('', { basic: ['web', 's'] }), form({ client_secret: 's' })],
    ['Basic and a different body client_id', post('', { basic: ['web', 's'] }), form({ client_id: 'batch' })],
    ['a body secret without an id', post(''), form({ client_secret: 's' })],
    ['Basic that is not base64', withAuthorization('Basic ***'), form()],
    ['Basic with bad padding', withAuthorization('Basic d2ViOnM'), form()],
    ['Basic without a colon', withAuthorization(`Basic ${btoa('web')}`), form()],
    ['Basic with an empty id', withAuthorization(`Basic ${btoa(':secret')}`), form()],
    ['Basic with a broken percent escape', withAuthorization(`Basic ${btoa('web:%zz')}`), form()],
    ['Basic that is not UTF-8', withAuthorization(`Basic ${btoa('web:\xff\xfe')}`), form()],
    ['Basic with no credentials', withAuthorization('Basic'), form()],
  ]
  for (const [what, request, body] of invalid) {
    it(`throws invalid_request for ${what}`, () => {
      expect(() => readClientCredentials(request, body)).toThrow(
        expect.objectContaining({ error: 'invalid_request', status: 400 }),
      )
    })
  }

  it('never echoes the secret in the error', () => {
    try {
      readClientCredentials(post('', { basic: ['web', 'hunter2'] }), form({ client_secret: 'hunter2' }))
      expect.unreachable()
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2')
    }
  })

  it('round-trips every printable ASCII character through the §2.3.1 encoding', () => {
    const secret = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')
    expect(
      readClientCredentials(post('', { headers: { authorization: basic('id', secret) } }), form()),
    ).toMatchObject({
      secret,
    })
  })
})
