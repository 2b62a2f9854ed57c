import * as v from 'valibot'
import { parseOptions, seconds } from '../options.js'
import type { RevocationStore } from '../revocation/store.js'
import type { Duration } from '../types.js'
import { DPOP_ALGORITHMS, type DpopAlgorithm } from './algorithms.js'

/** Server-provided nonces (RFC 9449 §8, §9), derived from a secret every server shares. */
export interface DpopNonceOptions {
  /** At least 32 bytes; servers with the same secret accept each other's nonces. */
  secret: string | Uint8Array
  /** How long a nonce is handed out; it is accepted for up to twice that. Default `'5m'`. */
  lifetime?: Duration
}

/** How DPoP proofs are checked, at a resource (`withJwtAuth`) or at the token endpoint. */
export interface DpopOptions {
  /** Algorithms a proof may be signed with (asymmetric only). Default `DPOP_ALGORITHMS`. */
  algorithms?: readonly DpopAlgorithm[]
  /** How long after its `iat` a proof is accepted. Default `'60s'`, at most 10 minutes. */
  maxAge?: Duration
  /** Clock skew allowed around a proof's `iat`. Default `'10s'`, at most 60 seconds. */
  clockTolerance?: Duration
  /** Require the server's nonce in every proof (RFC 9449 §8, §9). Off by default. */
  nonce?: DpopNonceOptions
  /**
   * The URL a proof's `htu` must name. Default `request.url`; behind a proxy that rewrites the
   * scheme or host, return the URL the client used.
   */
  requestUrl?: (request: Request) => string
  /** Milliseconds since the epoch; for tests. Default `Date.now`. */
  clock?: () => number
}

/** The options once checked, in seconds. */
export interface DpopSettings {
  readonly algorithms: readonly DpopAlgorithm[]
  readonly maxAge: number
  readonly clockTolerance: number
  readonly nonce: { readonly secret: Uint8Array; readonly lifetime: number } | undefined
  readonly requestUrl: (request: Request) => string
  readonly clock: () => number
  /** Where spent proof `jti`s are remembered until their window ends. */
  readonly store: RevocationStore
}

const fn = <T>() => v.custom<T>((value) => typeof value === 'function', 'must be a function')

const schema = v.object({
  algorithms: v.optional(
    v.pipe(v.array(v.picklist(DPOP_ALGORITHMS, 'must list asymmetric JWS algorithms only')), v.minLength(1)),
  ),
  maxAge: v.optional(seconds({ min: '1s', max: '10m' }), '60s'),
  clockTolerance: v.optional(seconds({ min: '1s', max: '60s' }), '10s'),
  nonce: v.optional(
    v.object({
      secret: v.pipe(
        v.union([v.string(), v.instance(Uint8Array)]),
        v.transform((secret) => (typeof secret === 'string' ? new TextEncoder().encode(secret) : secret)),
        v.check((secret) => secret.byteLength >= 32, 'must be at least 32 bytes'),
      ),
      lifetime: v.optional(seconds({ min: '1s', max: '1d' }), '5m'),
    }),
  ),
  requestUrl: v.optional(fn<(request: Request) => string>()),
  clock: v.optional(fn<() => number>()),
})

/**
 * Check DPoP options once, at construction: `ConfigError` naming the first offending field,
 * under `field` (`'dpop'`).
 */
export function parseDpopOptions(field: string, options: DpopOptions, store: RevocationStore): DpopSettings {
  const o = parseOptions(schema, options, { prefix: field })
  return {
    algorithms: o.algorithms ?? DPOP_ALGORITHMS,
    maxAge: o.maxAge,
    clockTolerance: o.clockTolerance,
    nonce: o.nonce,
    requestUrl: o.requestUrl ?? ((request) => request.url),
    clock: o.clock ?? Date.now,
    store,
  }
}
