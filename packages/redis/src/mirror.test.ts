import { describe, expect, it } from 'vitest'
import { parseMember, parseMessage, RevocationMirror } from './mirror.js'

const ref = (jti: string, sub = 'alice', iat = 1000, fid?: string) => ({ jti, sub, iat, fid })

describe('RevocationMirror', () => {
  it('answers from jti, family and subject entries until they expire', () => {
    const mirror = new RevocationMirror()
    mirror.add({ kind: 'j', id: 't1', expiresAtMs: 5000 })
    mirror.add({ kind: 'f', id: 'f1', expiresAtMs: 5000 })
    mirror.add({ kind: 's', id: 'bob', expiresAtMs: 5000, issuedBefore: 1000 })
    expect(mirror.isRevoked(ref('t1'), 4999)).toBe(true)
    expect(mirror.isRevoked(ref('t1'), 5000)).toBe(false)
    expect(mirror.isRevoked(ref('x', 'alice', 1000, 'f1'), 0)).toBe(true)
    expect(mirror.isRevoked(ref('x', 'bob', 1000), 0)).toBe(true)
    expect(mirror.isRevoked(ref('x', 'bob', 1001), 0)).toBe(false)
  })

  it('keeps the larger expiry and cut-off when an entry arrives twice, in any order', () => {
    const mirror = new RevocationMirror()
    mirror.add({ kind: 's', id: 'bob', expiresAtMs: 9000, issuedBefore: 2000 })
    mirror.add({ kind: 's', id: 'bob', expiresAtMs: 3000, issuedBefore: 500 })
    mirror.add({ kind: 'j', id: 't', expiresAtMs: 9000 })
    mirror.add({ kind: 'j', id: 't', expiresAtMs: 10 })
    expect(mirror.isRevoked(ref('x', 'bob', 2000), 8000)).toBe(true)
    expect(mirror.isRevoked(ref('t'), 8000)).toBe(true)
  })

  it('drops expired entries on sweep', () => {
    const mirror = new RevocationMirror()
    mirror.add({ kind: 'j', id: 'old', expiresAtMs: 10 })
    mirror.add({ kind: 'f', id: 'new', expiresAtMs: 100 })
    mirror.add({ kind: 's', id: 'old', expiresAtMs: 10, issuedBefore: 1 })
    mirror.sweep(50)
    expect(mirror.size).toBe(1)
  })
})

describe('parseMessage and parseMember', () => {
  it('reads the script announcement', () => {
    expect(parseMessage('["s:bob","1700","1800000"]')).toEqual({
      kind: 's',
      id: 'bob',
      expiresAtMs: 1_800_000,
      issuedBefore: 1700,
    })
    expect(parseMessage('["j:a:b","1","5"]')).toEqual({ kind: 'j', id: 'a:b', expiresAtMs: 5 })
  })

  it('ignores anything else on the channel', () => {
    expect(parseMessage('hello')).toBeUndefined()
    expect(parseMessage('["x:1","1","5"]')).toBeUndefined()
    expect(parseMessage('["j:1","1","soon"]')).toBeUndefined()
    expect(parseMessage('["s:bob","later","5"]')).toBeUndefined()
    expect(parseMessage('{"a":1}')).toBeUndefined()
    expect(parseMember('j', 5)).toBeUndefined()
  })
})
