import { describe, expect, it } from 'vitest'
import { readForm } from './form.js'

const request = (body: BodyInit, contentType = 'application/x-www-form-urlencoded') =>
  new Request('https://as.test/token', { method: 'POST', body, headers: { 'content-type': contentType } })

describe('readForm', () => {
  it('reads parameters and drops the ones sent without a value (RFC 6749 §3.1)', async () => {
    const form = await readForm(request('grant_type=password&username=al%20ice&scope=&password=a+b'))
    expect(Object.fromEntries(form)).toEqual({ grant_type: 'password', username: 'al ice', password: 'a b' })
  })

  it('accepts a charset parameter of UTF-8 in any case', async () => {
    const form = await readForm(request('a=1', 'Application/X-WWW-Form-Urlencoded; Charset="utf-8"'))
    expect(form.get('a')).toBe('1')
  })

  const refused: Array<[string, Request]> = [
    ['a JSON body', request('{"grant_type":"password"}', 'application/json')],
    [
      'a missing content type',
      new Request('https://as.test/token', { method: 'POST', body: 'a=1', headers: { 'content-type': '' } }),
    ],
    ['another charset', request('a=1', 'application/x-www-form-urlencoded; charset=iso-8859-1')],
    ['a repeated parameter', request('grant_type=password&grant_type=password')],
  ]
  for (const [what, req] of refused) {
    it(`throws invalid_request for ${what}`, async () => {
      await expect(readForm(req)).rejects.toMatchObject({ error: 'invalid_request', status: 400 })
    })
  }

  it("refuses a body over 16 KiB through core's bounded reader: ERR_BODY_TOO_LARGE, 413", async () => {
    await expect(readForm(request(`a=${'x'.repeat(16 * 1024)}`))).rejects.toMatchObject({
      code: 'ERR_BODY_TOO_LARGE',
      status: 413,
      limit: 16 * 1024,
    })
    await expect(readForm(request('a=12345'), 4)).rejects.toMatchObject({
      code: 'ERR_BODY_TOO_LARGE',
      limit: 4,
    })
  })
})
