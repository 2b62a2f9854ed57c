import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { isCovetError } from '../errors.js'
import type { Algorithm } from '../keys/algorithms.js'
import { EPOCH, frozenClock } from '../test-support/clock.js'
import { b64, forge, hmacKey } from '../test-support/jws.js'
import { KID, SECRET } from '../test-support/keys.js'
import { RESERVED_CLAIMS } from './claims.js'

// Property tests: nothing but a CovetError ever leaves verifyToken, and what is signed verifies.
const clock = frozenClock()
const auth = await createJwtAuth({ algorithm: 'HS256', keys: { key: SECRET, kid: KID }, clock: clock.now })
const hsKey = await hmacKey(SECRET, 'HS256')
const valid = await auth.createToken('alice', { roles: ['admin'], scope: 'read' })

/** verifyToken either resolves or rejects with a CovetError; returns which. */
async function outcome(token: string): Promise<'verified' | 'refused'> {
  try {
    await auth.verifyToken(token)
    return 'verified'
  } catch (error) {
    if (!isCovetError(error)) throw new Error(`not a CovetError: ${String(error)}`)
    return 'refused'
  }
}

const refused = async (token: string) => {
  expect(await outcome(token)).toBe('refused')
}

const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/)

describe('anything given to verifyToken ends in a CovetError', () => {
  it('any string', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), refused), {
      numRuns: 300,
    })
  })

  it('any byte sequence decoded as latin1 or UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('latin1', 'utf-8'),
        (bytes, encoding) => refused(new TextDecoder(encoding).decode(bytes)),
      ),
      { numRuns: 300 },
    )
  })

  it('values that are not strings at all', async () => {
    const values = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.object(),
      fc.uint8Array(),
    )
    await fc.assert(
      fc.asyncProperty(values, (value) => refused(value as never)),
      { numRuns: 100 },
    )
  })

  it('random three-segment base64url strings', async () => {
    await fc.assert(
      fc.asyncProperty(base64url, base64url, base64url, (h, p, s) => refused(`${h}.${p}.${s}`)),
      { numRuns: 300 },
    )
  })

  it('random JSON headers and payloads with a random signature', async () => {
    const header = fc.record(
      {
        alg: fc.constantFrom('HS256', 'HS512', 'RS256', 'none', 'NONE', 'ES256'),
        kid: fc.oneof(fc.constant(KID), fc.string(), fc.integer()),
        typ: fc.constantFrom('at+jwt', 'JWT', 'refresh+jwt'),
        crit: fc.array(fc.string()),
      },
      { requiredKeys: ['alg'] },
    )
    await fc.assert(
      fc.asyncProperty(header, fc.jsonValue(), base64url, (h, p, s) =>
        refused(`${b64(JSON.stringify(h))}.${b64(JSON.stringify(p) ?? '')}.${s}`),
      ),
      { numRuns: 200 },
    )
  })

  it('random JSON payloads correctly signed with the real key', async () => {
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          sub: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          jti: fc.oneof(fc.string(), fc.integer()),
          iat: fc.oneof(fc.integer(), fc.double(), fc.string()),
          exp: fc.oneof(fc.integer(), fc.double(), fc.string()),
          nbf: fc.oneof(fc.integer(), fc.double()),
          roles: fc.jsonValue(),
          fid: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    )
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const token = await forge(
          hsKey,
          'HS256',
          { alg: 'HS256', kid: KID, typ: 'at+jwt' },
          JSON.stringify(p) ?? 'null',
          {
            rawPayload: true,
          },
        )
        await outcome(token)
      }),
      { numRuns: 200 },
    )
  })

  it('every mutation of a valid token is refused', async () => {
    const mutation = fc.record({
      at: fc.nat({ max: valid.length - 1 }),
      kind: fc.constantFrom('replace', 'delete', 'insert'),
      char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    })
    await fc.assert(
      fc.asyncProperty(mutation, async ({ at, kind, char }) => {
        const mutated =
          kind === 'delete'
            ? valid.slice(0, at) + valid.slice(at + 1)
            : valid.slice(0, at) + char + valid.slice(kind === 'replace' ? at + 1 : at)
        fc.pre(mutated !== valid)
        await refused(mutated)
      }),
      { numRuns: 300 },
    )
    await expect(auth.verifyToken(valid)).resolves.toMatchObject({ subject: 'alice' })
  })
})

describe('sign → verify round-trips for random claims on every algorithm', () => {
  const ALGS: Algorithm[] = ['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA']
  const name = fc.string({ minLength: 1, maxLength: 12 })
  const scopeToken = fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,10}$/)
  const claimName = name.filter((key) => !RESERVED_CLAIMS.has(key) && key !== '__proto__')
  const grant = fc.record(
    {
      roles: fc.array(name, { maxLength: 5 }),
      permissions: fc.array(name, { maxLength: 5 }),
      scope: fc.uniqueArray(scopeToken, { minLength: 1, maxLength: 4 }).map((tokens) => tokens.join(' ')),
      clientId: name,
      claims: fc.dictionary(claimName, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    },
    { requiredKeys: [] },
  )

  for (const algorithm of ALGS) {
    it(algorithm, async () => {
      clock.set(EPOCH)
      const signer = await createJwtAuth({ algorithm, clock: clock.now, warn: () => {} })
      await fc.assert(
        fc.asyncProperty(name, grant, async (subject, g) => {
          const token = await signer.createToken(subject, g)
          const verified = await signer.verifyToken(token)
          expect(verified).toMatchObject({
            subject,
            roles: g.roles ?? [],
            permissions: g.permissions ?? [],
            scopes: g.scope?.split(' ') ?? [],
            clientId: g.clientId,
            token,
          })
          // Claims travel as JSON: compare with their JSON image (-0 becomes 0).
          expect(verified.claims).toMatchObject(JSON.parse(JSON.stringify(g.claims ?? {})))
        }),
        { numRuns: 25 },
      )
    })
  }
})
