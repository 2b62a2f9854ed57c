import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { importKey } from '../keys/import.js'
import { KeySet } from '../keys/key-set.js'
import { JoseOptions } from './jose-options.js'
import { LocalKeys } from './local-keys.js'

// The headers Covet writes with its own keys are known before any token verifies: a token that
// carries one (forged ones too) is not decoded twice.
const SECRETS = ['local-keys-secret-one-0123456789abcdef', 'local-keys-secret-two-0123456789abcdef']

async function localKeys(): Promise<LocalKeys> {
  const keys = await Promise.all(
    SECRETS.map((key, index) => importKey({ key, kid: `k${index}` }, 'HS256', `keys[${index}]`)),
  )
  return new LocalKeys(
    new KeySet(keys),
    new JoseOptions({
      issuer: undefined,
      audience: undefined,
      clockTolerance: 0,
      requiredClaims: [],
      clock: Date.now,
    }),
    8192,
  )
}

describe('LocalKeys', () => {
  it('knows the header of every access and refresh token its keys sign, before any verified', async () => {
    const keys = await localKeys()
    for (const [index, key] of SECRETS.entries()) {
      const auth = await createJwtAuth({ algorithm: 'HS256', keys: { key, kid: `k${index}` } })
      const { accessToken, refreshToken } = await auth.createTokenPair('alice')
      for (const token of [accessToken, refreshToken]) {
        const checked = keys.header(token)
        // `remember` is offered only for a header seen for the first time.
        expect(checked.remember).toBeUndefined()
        expect(checked.candidates.map((candidate) => candidate.kid)).toEqual([`k${index}`])
      }
    }
  })

  it('still decodes a header it has not seen, and selects by its kid', async () => {
    const keys = await localKeys()
    const header = Buffer.from(JSON.stringify({ typ: 'at+jwt', alg: 'HS256', kid: 'k1' })).toString(
      'base64url',
    )
    const checked = keys.header(`${header}.e30.c2ln`)
    expect(checked.remember).toBeTypeOf('function')
    expect(checked.header).toEqual({ typ: 'at+jwt', alg: 'HS256', kid: 'k1' })
    expect(checked.candidates.map((candidate) => candidate.kid)).toEqual(['k1'])
  })

  it('refuses a forged token that carries a known header, with the same error as before', async () => {
    const auth = await createJwtAuth({ algorithm: 'HS256', keys: { key: SECRETS[0]!, kid: 'k0' } })
    const token = await auth.createToken('alice')
    const [header, payload, signature] = token.split('.')
    const forged = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`
    await expect(auth.verifyToken(forged)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      reason: 'signature',
    })
  })
})
