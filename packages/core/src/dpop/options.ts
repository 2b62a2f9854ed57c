import * as v from 'valibot'
import { ConfigError } from '../errors.js'
import { parseDuration } from '../lib/duration.js'
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

const seconds = (name: string, max: number) =>
  v.pipe(
    v.custom<Duration>((value) => parseDuration(value) !== undefined, `${name} must be a duration`),
    v.transform((value) => parseDuration(value)!),
    v.minValue(1, `${name} must be at least 1 second`),
    v.maxValue(max, `${name} must be at most ${max} seconds`),
  )

const fn = <T>(name: string) =>
  v.custom<T>((value) => typeof value === 'function', `${name} must be a function`)

const schema = v.object({
  algorithms: v.optional(
    v.pipe(v.array(v.picklist(DPOP_ALGORITHMS, 'must list asymmetric JWS algorithms only')), v.minLength(1)),
  ),
  maxAge: v.optional(seconds('maxAge', 600), 60),
  clockTolerance: v.optional(seconds('clockTolerance', 60), 10),
  nonce: v.optional(
    v.object({
      secret: v.pipe(
        v.union([v.string(), v.instance(Uint8Array)]),
        v.transform((secret) => (typeof secret === 'string' ? new TextEncoder().encode(secret) : secret)),
        v.check((secret) => secret.byteLength >= 32, 'must be at least 32 bytes'),
      ),
      lifetime: v.optional(seconds('lifetime', 86_400), 300),
    }),
  ),
  requestUrl: v.optional(fn<(request: Request) => string>('requestUrl')),
  clock: v.optional(fn<() => number>('clock')),
})

/**
 * Check DPoP options once, at construction: `ConfigError` naming the first offending field,
 * under `field` (`'dpop'`).
 */
export function parseDpopOptions(field: string, options: DpopOptions, store: RevocationStore): DpopSettings {
  const parsed = v.safeParse(schema, options)
  if (!parsed.success) {
    const issue = parsed.issues[0]
    const path = v.getDotPath(issue)
    throw new ConfigError(path === null ? field : `${field}.${path}`, issue.message)
  }
  const o = parsed.output
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
