import type { CovetError } from '../errors.js'

/** A hook that may replace any error answer with a response of its own. */
export type OnErrorHook = (
  error: CovetError,
  request: Request,
) => Response | undefined | Promise<Response | undefined>

/** What shapes an error answer: the challenge's attributes and the custom hook. */
export interface ErrorAnswerOptions {
  /** `realm` of the `WWW-Authenticate` challenge (RFC 6750 §3); omitted when undefined. */
  readonly realm: string | undefined
  /** URL of the protected resource metadata (RFC 9728 §5.1); omitted when undefined. */
  readonly resourceMetadata: string | undefined
  readonly onError: OnErrorHook | undefined
  /**
   * The challenges an answer carries (RFC 9449 §7.1): `'bearer'` (the default), `'dpop'` (the
   * request used DPoP, or DPoP is required), or `'both'` (DPoP allowed: an answer to a request
   * without credentials offers both schemes; one to a bearer token answers in Bearer).
   */
  readonly scheme?: 'bearer' | 'dpop' | 'both' | undefined
  /** The algorithms a DPoP challenge lists (`algs`). */
  readonly dpopAlgorithms?: readonly string[] | undefined
}

/** The options used for a request no `withJwtAuth` wrapped. */
export const defaultErrorAnswerOptions: ErrorAnswerOptions = {
  realm: undefined,
  resourceMetadata: undefined,
  onError: undefined,
}
