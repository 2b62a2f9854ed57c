export { DPOP_ALGORITHMS, type DpopAlgorithm } from './algorithms.js'
export { type DpopChallenge, type DpopErrorCode, dpopChallenge } from './challenge.js'
export { createDpopProof, type DpopKeyPair, type DpopProofRequest } from './create-proof.js'
export {
  DpopNonceError,
  DpopProofError,
  type DpopProofFailureReason,
  TokenBindingError,
} from './errors.js'
export { normalizeHtu } from './htu.js'
export type { DpopNonceOptions, DpopOptions } from './options.js'
export type { DpopProof } from './proof.js'
export { boundThumbprint } from './resource.js'
export { tokenHash } from './token-hash.js'
export { createDpopVerifier, type DpopExpectations, type DpopVerifier } from './verifier.js'
