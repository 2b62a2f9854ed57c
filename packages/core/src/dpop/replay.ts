import { isCovetError, StoreUnavailableError } from '../errors.js'
import { DpopProofError } from './errors.js'
import type { DpopSettings } from './options.js'
import type { DpopProof } from './proof.js'

/**
 * RFC 9449 §11.1: a proof is accepted once. Its `jti` (under its key's thumbprint, so no client
 * can spend another's) is marked used in the revocation store, atomically across every server
 * sharing it, until the proof's window ends: after that its `iat` refuses it anyway, so the
 * store forgets it and stays bounded. A store failure is 503, never an accepted replay.
 */
export async function spendProof(proof: DpopProof, settings: DpopSettings): Promise<void> {
  const until = proof.iat + settings.maxAge + settings.clockTolerance + 1
  let first: boolean
  try {
    first = await settings.store.markUsed(`dpop:${proof.jkt}:${proof.jti}`, until)
  } catch (cause) {
    throw isCovetError(cause) ? cause : new StoreUnavailableError(undefined, { cause })
  }
  if (!first) throw new DpopProofError('replayed')
}
