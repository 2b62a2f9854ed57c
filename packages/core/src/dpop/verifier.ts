import type { RevocationStore } from '../revocation/store.js'
import type { DpopAlgorithm } from './algorithms.js'
import { TokenBindingError } from './errors.js'
import { readDpopProof } from './header.js'
import { DpopNonces } from './nonce.js'
import { type DpopOptions, type DpopSettings, parseDpopOptions } from './options.js'
import { checkProof, type DpopProof } from './proof.js'
import { ProofKeys } from './proof-keys.js'
import { spendProof } from './replay.js'
import { TokenHashes } from './token-hash.js'

/** What a request's proof must also match. */
export interface DpopExpectations {
  /** The access token sent with the proof: its hash must be the proof's `ath` (RFC 9449 §7). */
  accessToken?: string
  /** The thumbprint the token is bound to (`cnf.jkt`): the proof's key must have it (RFC 9449 §6.1). */
  jkt?: string
}

/** Checks and spends DPoP proofs; built once by `createDpopVerifier`. */
export interface DpopVerifier {
  /** The algorithms accepted, for challenges (`algs`) and metadata. */
  readonly algorithms: readonly DpopAlgorithm[]
  /**
   * The proof of `request` once every check passed and its `jti` was spent; `undefined` when the
   * request carries no `DPoP` header; with `freshNonce` when it carried the previous nonce (send it
   * in `DPoP-Nonce`, RFC 9449 §9). Rejects with `DpopProofError` (a bad, replayed or repeated
   * proof), `DpopNonceError` (the server's nonce is needed), `TokenBindingError` (the proof's key
   * is not `jkt`) or `StoreUnavailableError`.
   */
  verify(request: Request, expect?: DpopExpectations): Promise<DpopProof | undefined>
  /** The nonce to hand out now (`DPoP-Nonce`), when nonces are on. */
  nonce(): Promise<string | undefined>
}

/**
 * A DPoP proof verifier (RFC 9449 §4.3) remembering spent proofs in `store` (the revocation store,
 * so servers sharing one refuse each other's replays). `withJwtAuth({ dpop })` and the token
 * endpoint build their own; use this one for anything else that accepts proofs.
 *
 * @example
 * ```ts
 * const dpop = createDpopVerifier({ store: auth.revocation })
 * const proof = await dpop.verify(request) // { jkt, jti, iat, jwk } or undefined
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export function createDpopVerifier(options: DpopOptions & { store: RevocationStore }): DpopVerifier {
  return verifierFrom(parseDpopOptions('dpop', options, options.store))
}

/** The verifier of options already checked. */
export function verifierFrom(settings: DpopSettings): DpopVerifier {
  const nonces =
    settings.nonce === undefined
      ? undefined
      : new DpopNonces(settings.nonce.secret, settings.nonce.lifetime, settings.clock)
  const caches = { keys: new ProofKeys(), hashes: new TokenHashes() }
  return {
    algorithms: settings.algorithms,
    async verify(request, expect = {}) {
      const value = readDpopProof(request)
      if (value === undefined) return undefined
      const proof = await checkProof(value, request, settings, nonces, caches, expect.accessToken)
      // RFC 9449 §7.1: a proof by another key than the token's is a bad token, not a bad proof.
      if (expect.jkt !== undefined && proof.jkt !== expect.jkt) throw new TokenBindingError()
      await spendProof(proof, settings)
      return proof
    },
    async nonce() {
      return nonces?.current()
    },
  }
}
