import { describe, expect, it } from 'vitest'
import { hashClientSecret, parseSecretHash, verifyClientSecret } from './hash.js'

describe('hashClientSecret', () => {
  it('writes a PHC string with the iterations, a 16-byte salt and a 32-byte digest', async () => {
    const hash = await hashClientSecret('s3cret')
    expect(hash).toMatch(/^\$pbkdf2-sha256\$i=100000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(parseSecretHash(hash)).toMatchObject({ iterations: 100_000 })
    expect(parseSecretHash(hash)?.salt).toHaveLength(16)
    expect(parseSecretHash(hash)?.digest).toHaveLength(32)
  })

  it('salts every hash, so one secret hashed twice gives two different strings', async () => {
    const [a, b] = await Promise.all([
      hashClientSecret('same', { iterations: 1000 }),
      hashClientSecret('same', { iterations: 1000 }),
    ])
    expect(a).not.toBe(b)
  })

  it('refuses an empty secret and out-of-range iterations with coded errors', async () => {
    await expect(hashClientSecret('')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    await expect(hashClientSecret('x', { iterations: 999 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
    await expect(hashClientSecret('x', { iterations: 1.5 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
  })

  it('derives the same digest as an independent PBKDF2-HMAC-SHA-256 implementation', async () => {
    // Python: base64(hashlib.pbkdf2_hmac('sha256', b'password', b'saltsaltsaltsalt', 1000))
    const salt = new TextEncoder().encode('saltsaltsaltsalt')
    const digest = Uint8Array.from(atob('8nX7hwFEzIB8aPajJTYK8weHQc5Ngz0pFVAKvSu4jQA='), (c) =>
      c.charCodeAt(0),
    )
    expect(await verifyClientSecret('password', { iterations: 1000, salt, digest })).toBe(true)
  })
})

describe('verifyClientSecret', () => {
  it('accepts the right secret, including non-ASCII ones', async () => {
    const hash = await hashClientSecret('pâté & ☕ secret', { iterations: 1000 })
    expect(await verifyClientSecret('pâté & ☕ secret', hash)).toBe(true)
  })

  it('refuses a wrong secret, a prefix, an extension and an empty one', async () => {
    const hash = await hashClientSecret('correct-secret', { iterations: 1000 })
    for (const wrong of ['wrong-secret', 'correct-secre', 'correct-secret!', '', 'x'.repeat(10_000)]) {
      expect(await verifyClientSecret(wrong, hash)).toBe(false)
    }
  })

  it('answers false, never throws, for a hash that is not one of ours', async () => {
    for (const bad of [
      '',
      'plain',
      '$pbkdf2-sha256$i=10$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '$bcrypt$x',
    ]) {
      expect(await verifyClientSecret('x', bad)).toBe(false)
    }
  })
})
