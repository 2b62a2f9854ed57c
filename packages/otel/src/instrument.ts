import { instrumentAuth, type ObservableAuth } from './auth.js'
import { instrumentStore, type ObservableStore } from './store.js'
import { type InstrumentOptions, resolveTelemetry, type Telemetry } from './telemetry.js'
import { instrumentTokenEndpoint, type ObservableTokenEndpoint } from './token-endpoint.js'

/** What `instrument` accepts: a Covet instance, a token endpoint or a Redis store. */
export type Instrumentable = ObservableAuth | ObservableTokenEndpoint | ObservableStore

type Instrumenter = (telemetry: Telemetry) => () => void

/**
 * Records what Covet does as OpenTelemetry metrics and spans: tokens issued and verified, refresh
 * rotations and reuse, revocations, token requests, failed logins and lockouts, store errors and
 * round trips, cache and store size, and when old keys may be retired (see docs/observability.md).
 * Attributes never hold a token, a secret, a username or a subject. Uses the global providers
 * unless given others. Set the SDK up first: with no SDK registered yet (the API's no-ops for both
 * metrics and traces), nothing is observed at all, so instrumentation costs nothing. Returns the
 * function that stops recording.
 *
 * @example
 * const auth = await createJwtAuth({ keys, issuer })
 * const token = createTokenEndpoint({ auth, clients, verifyUser })
 * const stop = instrument([auth, token, store], { meterProvider })
 * @see https://opentelemetry.io/docs/specs/semconv/general/naming/
 */
export function instrument(
  target: Instrumentable | readonly Instrumentable[],
  options?: InstrumentOptions,
): () => void {
  const targets: readonly unknown[] = Array.isArray(target) ? target : [target]
  if (targets.length === 0) throw new TypeError('instrument needs at least one target')
  // Every target is recognised before any is observed: a mistake leaves nothing half-instrumented.
  const instrumenters = targets.map((one, index) =>
    instrumenterOf(one, Array.isArray(target) ? `target[${index}]` : 'target'),
  )
  const telemetry = resolveTelemetry(options)
  // No SDK: nothing would be recorded, so no hook is added and verification runs untouched.
  if (!telemetry.metrics && !telemetry.tracing()) return () => {}
  const stops = instrumenters.map((start) => start(telemetry))
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    for (const stop of stops) stop()
  }
}

function instrumenterOf(target: unknown, name: string): Instrumenter {
  const has = (member: string) => typeof (target as Record<string, unknown>)[member] === 'function'
  if (typeof target === 'function' && has('observe')) {
    return (telemetry) => instrumentTokenEndpoint(target as ObservableTokenEndpoint, telemetry)
  }
  if (typeof target === 'object' && target !== null && has('observe')) {
    if (has('stats')) {
      return (telemetry) => instrumentAuth(target as ObservableAuth, telemetry)
    }
    if (typeof (target as { coherent?: unknown }).coherent === 'boolean') {
      return (telemetry) => instrumentStore(target as ObservableStore, telemetry)
    }
  }
  throw new TypeError(`${name} must be a Covet instance, a token endpoint or a Redis store`)
}
