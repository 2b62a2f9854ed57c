import { COVET_ERROR_CODES } from '../error-codes.js'
import { CovetError, TokenError } from '../errors.js'

/**
 * A DPoP-bound access token was not used with a proof of its key (RFC 9449 §7.1, §7.2): sent as a
 * bearer token, sent with a proof signed by another key, or a token without `cnf.jkt` sent with
 * the DPoP scheme (or as a bearer token where DPoP is required). HTTP 401 `invalid_token`.
 */
export class TokenBindingError extends TokenError {
  static readonly code = COVET_ERROR_CODES.TOKEN_BINDING
  readonly code = TokenBindingError.code
  readonly reason = 'binding'
  constructor(message = 'The access token must be sent with a DPoP proof of the key it is bound to') {
    super(message)
  }
}

/** Why a DPoP proof was refused (RFC 9449 §4.3), safe to log and to count. */
export type DpopProofFailureReason =
  /** The request has no `DPoP` header. */
  | 'missing'
  /** More than one `DPoP` header, or a value holding more than one proof. */
  | 'multiple'
  /** Not a compact JWS, or too large. */
  | 'malformed'
  /** `typ` is not `dpop+jwt`. */
  | 'type'
  /** `alg` is symmetric, `none`, or not allowed. */
  | 'algorithm'
  /** `jwk` is missing, holds private key material, or does not import. */
  | 'key'
  | 'signature'
  /** `jti`, `htm`, `htu` or `iat` missing or of the wrong type, or `exp`/`nbf` failing. */
  | 'claims'
  /** `htm` is another method. */
  | 'method'
  /** `htu` is another URL. */
  | 'url'
  /** `iat` is too old or in the future. */
  | 'issued_at'
  /** `ath` is not the hash of the access token sent with it. */
  | 'token_hash'
  /** The proof's `jti` was seen before within its window. */
  | 'replayed'

const DESCRIPTIONS: Record<DpopProofFailureReason, string> = {
  missing: 'The request has no DPoP proof',
  multiple: 'The request has more than one DPoP proof',
  malformed: 'The DPoP proof is malformed',
  type: 'The DPoP proof is not of type dpop+jwt',
  algorithm: 'The DPoP proof is signed with an algorithm that is not accepted',
  key: 'The DPoP proof does not carry a usable public key',
  signature: 'The DPoP proof signature is invalid',
  claims: 'The DPoP proof lacks a required claim',
  method: 'The DPoP proof is for another HTTP method',
  url: 'The DPoP proof is for another URL',
  issued_at: 'The DPoP proof is too old or issued in the future',
  token_hash: 'The DPoP proof is for another access token',
  replayed: 'The DPoP proof was already used',
}

/**
 * A DPoP proof was refused (RFC 9449 §4.3). At a resource: HTTP 401 with the challenge
 * `DPoP error="invalid_dpop_proof"`; at the token endpoint: 400 `invalid_dpop_proof`. The message
 * names the failed check in fixed words, never a value from the proof.
 */
export class DpopProofError extends CovetError {
  static readonly code = COVET_ERROR_CODES.DPOP_PROOF_INVALID
  readonly code = DpopProofError.code
  override readonly status = 401
  constructor(
    readonly reason: DpopProofFailureReason,
    options?: { cause?: unknown },
  ) {
    super(DESCRIPTIONS[reason], options)
  }
}

/**
 * The server wants its nonce in the proof (RFC 9449 §8, §9): the proof has none, or a stale one.
 * Answered 401 `use_dpop_nonce` at a resource (400 at the token endpoint) with the nonce to use in
 * the `DPoP-Nonce` header; the client retries with a new proof carrying it.
 */
export class DpopNonceError extends CovetError {
  static readonly code = COVET_ERROR_CODES.DPOP_NONCE
  readonly code = DpopNonceError.code
  override readonly status = 401
  constructor(
    /** The nonce the client must put in its next proof (sent as `DPoP-Nonce`). */
    readonly nonce: string,
    message = 'The DPoP proof must carry the nonce the server provides',
  ) {
    super(message)
  }
}
