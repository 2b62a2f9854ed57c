import { existsSync } from 'node:fs'
/// <reference types="node" />
import { readFile } from 'node:fs/promises'
import { decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'
import { isCovetError, type TokenFailureReason } from '../errors.js'
import type { Algorithm } from '../keys/algorithms.js'
import type { JwtAuth } from '../types.js'

// Project Wycheproof's JSON Web Signature vectors, read from the file CI names; never copied here.
const VECTORS = process.env.WYCHEPROOF_JWS

interface Vector {
  tcId: number
  comment: string
  jws: string
  result: 'valid' | 'invalid'
  flags?: string[]
}
interface Group {
  comment: string
  public?: JsonWebKey & { alg?: string }
  private?: JsonWebKey & { alg?: string }
  tests: Vector[]
}
interface VectorFile {
  numberOfTests: number
  testGroups: Group[]
}

/** Known errata of the vector file (see the vectors' README): the expectation that is actually right. */
const ERRATA: Record<number, 'valid' | 'invalid'> = {
  // Byte-identical to the valid tcId 357, yet marked invalid.
  367: 'valid',
  370: 'valid',
  // Contain "?", which is not base64url, yet marked valid.
  372: 'invalid',
  373: 'invalid',
}

/**
 * Where Covet is deliberately stricter than a general JWS library: an empty payload is a valid JWS
 * (RFC 7515 §7.1) but never a JWT claim set (RFC 7519 §7.2 step 10), so the pre-check refuses it.
 */
const STRICTER_THAN_JWS = new Set(['emptyPayload'])

/**
 * The reasons `verifyToken` gives while still in the JWS layer (shape, header, key choice,
 * signature). The vectors' payloads are not JWT claim sets, so a token whose signature verified
 * is still refused, but later and for another reason (`payload`, `type`, …): that is a valid JWS.
 */
const JWS_LAYER: ReadonlySet<TokenFailureReason> = new Set([
  'malformed',
  'too_large',
  'header',
  'algorithm',
  'key',
  'signature',
])

// A path that names no file (a checkout without the shared vectors beside it) skips like no path.
const data: VectorFile | undefined =
  VECTORS && existsSync(VECTORS) ? JSON.parse(await readFile(VECTORS, 'utf8')) : undefined
if (data === undefined) {
  console.info('WYCHEPROOF_JWS names no file: the Wycheproof JWS conformance suite is skipped')
}

/** One engine per group key and algorithm, configured as a user would configure Covet with that key. */
const engines = new Map<string, Promise<JwtAuth<object>>>()

function engineFor(group: Group, jws: string): Promise<JwtAuth<object>> {
  const { alg: jwkAlg, ...jwk } = (group.public ?? group.private)!
  // Erratum: in the rfc7520 groups the key's alg does not match the token's; pin to the header's.
  const alg =
    (group.comment.startsWith('rfc7520') || jwkAlg === undefined ? headerAlg(jws) : jwkAlg) ?? jwkAlg
  const id = `${group.comment} ${JSON.stringify(jwk)} ${alg}`
  let engine = engines.get(id)
  if (engine === undefined) {
    engine = createJwtAuth({
      algorithm: alg as Algorithm,
      keys: alg === undefined ? jwk : { ...jwk, alg },
      cache: false,
      warn: () => {},
    })
    engines.set(id, engine)
  }
  return engine
}

function headerAlg(jws: string): string | undefined {
  try {
    return decodeProtectedHeader(jws).alg
  } catch {
    return undefined
  }
}

/**
 * The vector through the real `verifyToken`: 'valid' when the JWS layer accepted it (the token
 * verified, or was refused only after its signature), otherwise 'invalid' with the reason. A key
 * `createJwtAuth` refuses (a JWK whose `use` or `key_ops` forbid verifying) refuses the token too.
 */
async function outcome(group: Group, jws: string): Promise<{ result: 'valid' | 'invalid'; why: string }> {
  let error: unknown
  try {
    await (await engineFor(group, jws)).verifyToken(jws)
    return { result: 'valid', why: 'verified' }
  } catch (caught) {
    error = caught
  }
  if (!isCovetError(error)) throw error
  const reason = (error as { reason?: TokenFailureReason }).reason
  const why = `${error.code} ${reason ?? ''} ${String((error.cause as Error | undefined)?.message ?? '')}`
  if (error.code === 'ERR_CONFIG') return { result: 'invalid', why }
  return { result: reason !== undefined && !JWS_LAYER.has(reason) ? 'valid' : 'invalid', why }
}

describe.skipIf(data === undefined)(
  `Wycheproof JSON Web Signature vectors through verifyToken${data === undefined ? ' (skipped: WYCHEPROOF_JWS names no file)' : ''}`,
  () => {
    it('holds as many vectors as the file announces', () => {
      const total = data!.testGroups.reduce((sum, group) => sum + group.tests.length, 0)
      expect(total).toBe(data!.numberOfTests)
    })

    for (const group of data?.testGroups ?? []) {
      for (const vector of group.tests) {
        const expected = STRICTER_THAN_JWS.has(vector.comment)
          ? 'invalid'
          : (ERRATA[vector.tcId] ?? vector.result)
        it(`tcId ${vector.tcId} (${group.comment}, ${vector.comment}) is ${expected}`, async () => {
          const { result, why } = await outcome(group, vector.jws)
          expect(result, why).toBe(expected)
        })
      }
    }
  },
)
