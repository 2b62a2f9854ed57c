import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { frozenClock } from '../test-support/clock.js'
import { KID, SECRET } from '../test-support/keys.js'

// The optional custom-claims schema (Standard Schema): last step of verification, output typed and kept.
const clock = frozenClock()
const base = { algorithm: 'HS256', keys: { key: SECRET, kid: KID }, clock: clock.now } as const
const issuer = await createJwtAuth(base)

describe('a claims schema', () => {
  it('accepts conforming claims and returns the schema output', async () => {
    const auth = await createJwtAuth({
      ...base,
      claims: v.object({ tenant: v.pipe(v.string(), v.toUpperCase()), seats: v.number() }),
    })
    const token = await issuer.createToken('alice', { claims: { tenant: 'acme', seats: 3 } })
    const verified = await auth.verifyToken(token)
    expect(verified.claims).toMatchObject({ tenant: 'ACME', seats: 3, sub: 'alice' })
  })

  it('refuses claims that do not conform with ERR_TOKEN_CLAIMS naming the paths, never the values', async () => {
    const auth = await createJwtAuth({ ...base, claims: v.object({ tenant: v.string(), seats: v.number() }) })
    const token = await issuer.createToken('alice', {
      claims: { tenant: 'secret-tenant-value', seats: 'many' },
    })
    const error = await auth.verifyToken(token).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_CLAIMS', reason: 'claims', status: 401, paths: ['seats'] })
    expect(String(error)).not.toContain('many')
    expect(JSON.stringify(error)).not.toContain('secret-tenant-value')
  })

  it('refuses a token missing a required custom claim', async () => {
    const auth = await createJwtAuth({ ...base, claims: v.object({ tenant: v.string() }) })
    await expect(auth.verifyToken(await issuer.createToken('alice'))).rejects.toMatchObject({
      code: 'ERR_TOKEN_CLAIMS',
      paths: ['tenant'],
    })
  })

  it('works with an asynchronous schema', async () => {
    const auth = await createJwtAuth({
      ...base,
      claims: v.objectAsync({
        tenant: v.pipeAsync(
          v.string(),
          v.checkAsync(async (tenant) => tenant !== 'banned', 'tenant is banned'),
        ),
      }),
    })
    await expect(
      auth.verifyToken(await issuer.createToken('alice', { claims: { tenant: 'acme' } })),
    ).resolves.toMatchObject({ claims: { tenant: 'acme' } })
    await expect(
      auth.verifyToken(await issuer.createToken('alice', { claims: { tenant: 'banned' } })),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_CLAIMS', paths: ['tenant'] })
  })
})
