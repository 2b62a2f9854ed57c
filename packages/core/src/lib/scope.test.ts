import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isScope, isScopeToken } from './scope.js'

// RFC 6749 §3.3: NQCHAR = %x21 / %x23-5B / %x5D-7E.
const nqchar = (code: number) =>
  code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e)

describe('isScopeToken', () => {
  it('takes exactly the non-empty strings of NQCHARs', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (text) => {
        const expected = text.length > 0 && [...text].every((c) => nqchar(c.codePointAt(0)!))
        expect(isScopeToken(text)).toBe(expected)
      }),
    )
  })

  it('refuses space, quote, backslash, the empty string and what is not a string', () => {
    for (const value of ['read write', 'say"hi"', 'a\\b', '', 42, undefined])
      expect(isScopeToken(value as string)).toBe(false)
    expect(isScopeToken('posts:read')).toBe(true)
  })
})

describe('isScope', () => {
  it('takes tokens separated by single spaces, and nothing else', () => {
    expect(isScope('read')).toBe(true)
    expect(isScope('read write posts:*')).toBe(true)
    for (const value of ['', ' read', 'read ', 'read  write', 'read\twrite', 'a "b"', 7]) {
      expect(isScope(value as string)).toBe(false)
    }
  })
})
