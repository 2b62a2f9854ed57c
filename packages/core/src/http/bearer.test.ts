import { describe, expect, it } from 'vitest'
import { InvalidRequestError, StoreUnavailableError, TokenExpiredError } from '../errors.js'
import { extractBearerToken, refusalOf, type TokenSources } from './bearer.js'

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln-_~+/='

function request(headers: HeadersInit = {}, url = 'https://api.test/me'): Request {
  return new Request(url, { headers })
}

function refusal(req: Request, sources?: TokenSources): string {
  try {
    extractBearerToken(req, sources)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError)
    return (error as InvalidRequestError).message
  }
  throw new Error('expected an InvalidRequestError')
}

describe('extractBearerToken', () => {
  it('reads the token of a Bearer Authorization header', () => {
    expect(extractBearerToken(request({ authorization: `Bearer ${TOKEN}` }))).toEqual({
      token: TOKEN,
      source: 'header',
    })
  })

  it('accepts the scheme name in any case and several spaces before the token', () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      expect(extractBearerToken(request({ authorization: `${scheme}   abc` }))?.token).toBe('abc')
    }
  })

  it('finds no credentials without an Authorization header', () => {
    expect(extractBearerToken(request())).toBeUndefined()
  })

  it('finds no credentials in an Authorization header of another scheme', () => {
    expect(extractBearerToken(request({ authorization: 'Basic dXNlcjpwYXNz' }))).toBeUndefined()
    expect(extractBearerToken(request({ authorization: 'Bearerabc' }))).toBeUndefined()
    expect(
      extractBearerToken(request({ authorization: 'Digest username="u", realm="r", nonce="n"' })),
    ).toBeUndefined()
  })

  it('refuses an empty token', () => {
    expect(refusal(request({ authorization: 'Bearer' }))).toBe('The access token is empty')
    expect(refusal(request({ authorization: 'Bearer    ' }))).toBe('The access token is empty')
  })

  it('refuses a token outside the b64token grammar', () => {
    expect(refusal(request({ authorization: 'Bearer a b' }))).toBe('The access token is malformed')
    expect(refusal(request({ authorization: 'Bearer a"b' }))).toBe('The access token is malformed')
    expect(refusal(request({ authorization: 'Bearer =abc' }))).toBe('The access token is malformed')
  })

  it('refuses anything but spaces between the scheme and the token', () => {
    expect(refusal(request({ authorization: 'Bearer\tabc' }))).toBe('The Authorization header is malformed')
  })

  it('refuses two Authorization values joined by Fetch, whichever comes first', () => {
    const joined = (values: string[]) => {
      const headers = new Headers()
      for (const value of values) headers.append('authorization', value)
      return request(headers)
    }
    const message = 'More than one Authorization credential was sent'
    expect(refusal(joined(['Bearer abc', 'Bearer def']))).toBe(message)
    expect(refusal(joined(['Basic dXNlcjpwYXNz', 'Bearer def']))).toBe(message)
    expect(refusal(joined(['Bearer abc', 'Basic dXNlcjpwYXNz']))).toBe(message)
  })

  it('ignores the access_token query parameter unless asked to read it', () => {
    expect(extractBearerToken(request({}, 'https://api.test/me?access_token=abc'))).toBeUndefined()
  })

  it('reads the access_token query parameter when enabled', () => {
    const req = request({}, 'https://api.test/me?x=1&access_token=abc.def')
    expect(extractBearerToken(req, { query: true })).toEqual({ token: 'abc.def', source: 'query' })
  })

  it('refuses a repeated or empty access_token parameter', () => {
    expect(refusal(request({}, 'https://api.test/me?access_token=a&access_token=b'), { query: true })).toBe(
      'The access_token parameter was repeated',
    )
    expect(refusal(request({}, 'https://api.test/me?access_token='), { query: true })).toBe(
      'The access token is empty',
    )
  })

  it('ignores cookies unless a cookie name is configured', () => {
    expect(extractBearerToken(request({ cookie: 'token=abc' }))).toBeUndefined()
  })

  it('reads the configured cookie, quoted or not', () => {
    expect(extractBearerToken(request({ cookie: 'a=1; token=abc; b=2' }), { cookie: 'token' })).toEqual({
      token: 'abc',
      source: 'cookie',
    })
    expect(extractBearerToken(request({ cookie: 'token="abc"' }), { cookie: 'token' })?.token).toBe('abc')
    expect(extractBearerToken(request({ cookie: 'xtoken=abc' }), { cookie: 'token' })).toBeUndefined()
  })

  it('refuses a repeated token cookie', () => {
    expect(refusal(request({ cookie: 'token=a; token=b' }), { cookie: 'token' })).toBe(
      'The token cookie was repeated',
    )
  })

  it('refuses a token sent in two ways at once', () => {
    const message = 'The access token was sent in more than one way'
    const both = request(
      { authorization: 'Bearer abc', cookie: 'token=abc' },
      'https://api.test/?access_token=abc',
    )
    expect(refusal(both, { cookie: 'token' })).toBe(message)
    expect(refusal(both, { query: true })).toBe(message)
    const queryAndCookie = request({ cookie: 'token=abc' }, 'https://api.test/?access_token=abc')
    expect(refusal(queryAndCookie, { query: true, cookie: 'token' })).toBe(message)
  })

  it('reads each new header afresh and gives a repeated one the same token, in an object nothing can change', () => {
    const other = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2In0.c2ln'
    const tokens = [TOKEN, TOKEN, other, TOKEN, other, other].map((token) => {
      const found = extractBearerToken(request({ authorization: `Bearer ${token}` }))
      expect(Object.isFrozen(found)).toBe(true)
      return found?.token
    })
    expect(tokens).toEqual([TOKEN, TOKEN, other, TOKEN, other, other])
  })

  it('refuses a malformed header that follows a good one, and reads the good one again after it', () => {
    const good = request({ authorization: `Bearer ${TOKEN}` })
    expect(extractBearerToken(good)).toEqual({ token: TOKEN, source: 'header' })
    const repeated = new Headers([
      ['authorization', `Bearer ${TOKEN}`],
      ['authorization', `Bearer ${TOKEN}`],
    ])
    expect(refusal(request(repeated))).toBe('More than one Authorization credential was sent')
    expect(refusal(request({ authorization: 'Bearer' }))).toBe('The access token is empty')
    expect(refusal(request({ authorization: `Bearer\t${TOKEN}` }))).toBe(
      'The Authorization header is malformed',
    )
    expect(extractBearerToken(request({ authorization: `Bearer ${TOKEN}` }))).toEqual({
      token: TOKEN,
      source: 'header',
    })
    // The header read before still counts once a second way of sending the token is allowed.
    const withCookie = request({ authorization: `Bearer ${TOKEN}`, cookie: `token=${TOKEN}` })
    expect(refusal(withCookie, { cookie: 'token' })).toBe('The access token was sent in more than one way')
  })

  it('accepts a cookie token next to an Authorization header of another scheme', () => {
    const req = request({ authorization: 'Basic dXNlcjpwYXNz', cookie: 'token=abc' })
    expect(extractBearerToken(req, { cookie: 'token' })).toEqual({ token: 'abc', source: 'cookie' })
  })
})

describe('refusalOf: 400 or 401 for a token that failed verification (RFC 6750 §3.1)', () => {
  it('makes a token that is not a b64token a malformed request, whatever verification said', () => {
    for (const token of ['not a token', 'abc.def"', 'a=b', 'ü.v.w']) {
      const refusal = refusalOf(token, new TokenExpiredError())
      expect(refusal).toBeInstanceOf(InvalidRequestError)
      expect(refusal).toMatchObject({
        status: 400,
        bearerError: 'invalid_request',
        message: 'The access token is malformed',
      })
    }
  })

  it("leaves a b64token's refusal to the verifier: 401 invalid_token, or 503 for an outage", () => {
    const expired = new TokenExpiredError()
    expect(refusalOf(TOKEN, expired)).toBe(expired)
    const outage = new StoreUnavailableError()
    expect(refusalOf('abc', outage)).toBe(outage)
  })

  it('agrees with extractBearerToken on which tokens are malformed', () => {
    for (const token of [TOKEN, 'abc', 'a b', 'abc=', 'a=b', '~+/', '"x"']) {
      const header = `Bearer ${token}`
      let extracted: 'ok' | 'malformed'
      try {
        extractBearerToken(request({ authorization: header }))
        extracted = 'ok'
      } catch {
        extracted = 'malformed'
      }
      const refused = refusalOf(token, new TokenExpiredError()) instanceof InvalidRequestError
      expect(refused ? 'malformed' : 'ok').toBe(extracted)
    }
  })
})
