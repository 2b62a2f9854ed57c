/// <reference types="node" />
import { readFile } from 'node:fs/promises'
import { compactVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { CovetError, isCovetError, TokenInvalidError } from '../errors.js'
import type { Algorithm } from '../keys/algorithms.js'
import { importKey } from '../keys/import.js'
import { KeySet } from '../keys/key-set.js'
import { fromJoseError } from './jose-errors.js'
import { precheck } from './precheck.js'

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

const data: VectorFile | undefined = VECTORS ? JSON.parse(await readFile(VECTORS, 'utf8')) : undefined

/**
 * The engine's JWS layer: the structural pre-check, the group's key pinned to one algorithm and chosen
 * by kid like the key set does, then jose with only that algorithm. Every failure becomes a CovetError.
 */
async function verifyJws(group: Group, jws: string): Promise<Uint8Array> {
  try {
    const header = precheck(jws, 8192)
    const { alg: jwkAlg, ...jwk } = (group.public ?? group.private)!
    // Erratum: in the rfc7520 groups the key's alg does not match the token's; pin to the header's.
    const alg = group.comment.startsWith('rfc7520') || jwkAlg === undefined ? header.alg : jwkAlg
    const key = await importKey({ ...jwk, alg } as JsonWebKey, alg as Algorithm, 'keys')
    const [candidate] = new KeySet([key]).candidates(header.kid, header.alg)
    if (candidate === undefined) throw new TokenInvalidError('key')
    const { payload } = await compactVerify(jws, candidate.verifyKey, { algorithms: [candidate.alg] })
    return payload
  } catch (error) {
    throw error instanceof CovetError ? error : fromJoseError(error)
  }
}

it('says whether the Wycheproof JWS conformance suite runs', () => {
  if (data === undefined) {
    console.info('WYCHEPROOF_JWS is not set: the Wycheproof JWS conformance suite is not run')
    expect(VECTORS ?? '').toBe('')
  } else {
    const total = data.testGroups.reduce((sum, group) => sum + group.tests.length, 0)
    expect(total).toBe(data.numberOfTests)
  }
})

describe.runIf(data !== undefined)('Wycheproof JSON Web Signature vectors', () => {
  for (const group of data?.testGroups ?? []) {
    for (const vector of group.tests) {
      const expected = STRICTER_THAN_JWS.has(vector.comment)
        ? 'invalid'
        : (ERRATA[vector.tcId] ?? vector.result)
      it(`tcId ${vector.tcId} (${group.comment}, ${vector.comment}) is ${expected}`, async () => {
        const error = await verifyJws(group, vector.jws).then(
          () => undefined,
          (e: unknown) => e as Error,
        )
        if (error !== undefined) expect(isCovetError(error), String(error)).toBe(true)
        const why = error && `${error.message} (${String((error.cause as Error | undefined)?.message)})`
        expect(error === undefined ? 'valid' : 'invalid', why).toBe(expected)
      })
    }
  }
})
