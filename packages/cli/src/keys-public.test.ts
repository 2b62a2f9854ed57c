import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { covet } from './test-support/covet.js'

let dir: string
const file = (name: string) => join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covet-cli-public-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function jwk(alg: 'RS256' | 'ES256' | 'ES384' | 'EdDSA', extra: Record<string, string> = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return {
    private: { ...(await exportJWK(privateKey)), ...extra },
    public: { ...(await exportJWK(publicKey)), ...extra },
  }
}

describe('covet keys public on a JWK Set', () => {
  it('prints a public JWK Set whose key names its alg, without asking for --alg', async () => {
    const { public: key } = await jwk('ES256', { alg: 'ES256', kid: 'k-1', use: 'sig' })
    await writeFile(file('public.jwks.json'), JSON.stringify({ keys: [key] }))
    const result = await covet(['keys', 'public', file('public.jwks.json')])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual({ keys: [key] })
  })

  it('keeps each key of a set with its own alg and kid', async () => {
    const rsa = await jwk('RS256', { alg: 'RS256', kid: 'rsa' })
    const ed = await jwk('EdDSA', { alg: 'EdDSA', kid: 'ed' })
    await writeFile(file('two.jwks.json'), JSON.stringify({ keys: [rsa.public, ed.public] }))
    const result = await covet(['keys', 'public', file('two.jwks.json')])
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.stdout) as { keys: Record<string, unknown>[] }
    expect(printed.keys.map((k) => [k['kid'], k['alg'], k['use']])).toEqual([
      ['rsa', 'RS256', 'sig'],
      ['ed', 'EdDSA', 'sig'],
    ])
  })

  it('prints only the public members of a set of private keys', async () => {
    const { private: key } = await jwk('ES384', { kid: 'p-384' })
    await writeFile(file('private.jwks.json'), JSON.stringify({ keys: [key] }))
    const result = await covet(['keys', 'public', file('private.jwks.json')])
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.stdout) as { keys: Record<string, unknown>[] }
    expect(printed.keys).toHaveLength(1)
    expect(printed.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', kid: 'p-384' })
    expect(printed.keys[0]).not.toHaveProperty('d')
  })

  it('prints a single public JWK that names its alg', async () => {
    const { public: key } = await jwk('EdDSA', { alg: 'EdDSA', kid: 'single' })
    await writeFile(file('single.jwk.json'), JSON.stringify(key))
    const result = await covet(['keys', 'public', file('single.jwk.json')])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ keys: [{ ...key, use: 'sig' }] })
  })

  it('refuses --alg that contradicts the alg a key names, with exit 1', async () => {
    const result = await covet(['keys', 'public', file('public.jwks.json'), '--alg', 'ES384'])
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `covet: ERR_CONFIG: key "k-1" in ${file('public.jwks.json')} is for ES256, not ES384\n`,
    })
  })

  it('refuses a set holding a secret key, with exit 1', async () => {
    const { public: key } = await jwk('ES256', { alg: 'ES256' })
    const secret = { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', alg: 'HS256' }
    await writeFile(file('mixed.jwks.json'), JSON.stringify({ keys: [key, secret] }))
    const result = await covet(['keys', 'public', file('mixed.jwks.json')])
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'covet: ERR_CONFIG: an HMAC secret has no public key; never publish it\n',
    })
  })

  it('refuses an empty set, with exit 1', async () => {
    await writeFile(file('empty.jwks.json'), JSON.stringify({ keys: [] }))
    const result = await covet(['keys', 'public', file('empty.jwks.json')])
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `covet: ERR_CONFIG: ${file('empty.jwks.json')} is a JWK Set without keys\n`,
    })
  })
})
