import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import { createDpopProof, type DpopProofRequest } from '../dpop/create-proof.js'
import { tokenHash } from '../dpop/token-hash.js'
import { forge, type SigningAlg } from './jws.js'

/** A DPoP client key: it signs proofs, and `jkt` is what tokens bound to it carry. */
export interface DpopTestKey {
  readonly alg: Exclude<SigningAlg, 'HS256' | 'HS384' | 'HS512'>
  readonly pair: CryptoKeyPair
  /** The public members only, as a proof's header carries them. */
  readonly jwk: JWK
  readonly jkt: string
  /** A proper proof, made by `createDpopProof`. */
  proof(request: DpopProofRequest): Promise<string>
  /**
   * A proof with the given header and claims, signed by this key: `typ`, `alg`, `jwk`, `jti`,
   * `htm`, `htu`, `iat` and (with `accessToken`) `ath` are filled in unless overridden;
   * `undefined` values remove a member.
   */
  forge(
    request: DpopProofRequest,
    overrides?: { header?: Record<string, unknown>; claims?: Record<string, unknown> },
  ): Promise<string>
}

export async function dpopTestKey(
  alg: Exclude<SigningAlg, 'HS256' | 'HS384' | 'HS512'> = 'ES256',
): Promise<DpopTestKey> {
  const pair = (await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })) as CryptoKeyPair
  const { kty, crv, x, y, n, e } = await exportJWK(pair.publicKey)
  const jwk = Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined),
  ) as JWK
  return {
    alg,
    pair,
    jwk,
    jkt: await calculateJwkThumbprint(jwk, 'sha256'),
    proof: (request) => createDpopProof(pair, alg, request),
    async forge(request, overrides = {}) {
      const url = new URL(request.url)
      const header = clean({ typ: 'dpop+jwt', alg, jwk, ...overrides.header })
      const claims = clean({
        jti: crypto.randomUUID(),
        htm: request.method,
        htu: `${url.origin}${url.pathname}`,
        iat: request.issuedAt ?? Math.floor(Date.now() / 1000),
        ...(request.accessToken === undefined ? {} : { ath: await tokenHash(request.accessToken) }),
        ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
        ...overrides.claims,
      })
      return forge(pair.privateKey, alg, header, claims)
    },
  }
}

function clean(members: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined))
}
