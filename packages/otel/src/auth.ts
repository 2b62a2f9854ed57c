import type { AuthObserver, CovetEvent, JwtAuth, TokenType, VerifyOutcome } from '@covet/core'
import { type BatchObservableCallback, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AttributeSets } from './attributes.js'
import { ATTRIBUTES as A, SPANS } from './names.js'
import type { Telemetry } from './telemetry.js'

/** What `instrument` needs of a Covet instance (`createJwtAuth`'s result). */
export type ObservableAuth = Pick<JwtAuth<object>, 'observe' | 'stats'>

/**
 * Records a Covet instance: its events as counters, each verification as a `covet.verify` span
 * and a duration, and its cache, store and keys as gauges. Returns the function that stops it.
 */
export function instrumentAuth(auth: ObservableAuth, telemetry: Telemetry): () => void {
  const { instruments: i, tracer } = telemetry
  const sets = new AttributeSets(telemetry.attributes)
  // Verifications since the previous observation of the hit ratio.
  let hits = 0
  let lookups = 0

  const observer: AuthObserver = {
    onVerify(expected) {
      const tracing = telemetry.tracing()
      // No SDK: nothing to time, and verification runs exactly as without instrumentation.
      if (!telemetry.metrics && !tracing) return undefined
      const started = performance.now()
      const span = tracing
        ? tracer.startSpan(SPANS.verify, {
            kind: SpanKind.INTERNAL,
            attributes: sets.get(`start ${expected}`, () => ({ [A.tokenType]: expected })),
          })
        : undefined
      return (outcome) => {
        const seconds = (performance.now() - started) / 1000
        const attributes = verifyAttributes(sets, expected, outcome)
        if (telemetry.metrics) {
          i.verifications.add(1, attributes)
          i.verifyDuration.record(
            seconds,
            sets.get(`duration ${outcome.cached} ${outcome.error === undefined}`, () => ({
              [A.cacheHit]: outcome.cached,
              [A.outcome]: outcome.error === undefined ? 'success' : 'failure',
            })),
          )
          lookups++
          if (outcome.cached) hits++
        }
        if (span !== undefined) {
          span.setAttributes(attributes)
          // The code only: a message could one day say more than a metric may.
          if (outcome.error !== undefined)
            span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.code })
          span.end()
        }
      }
    },
    ...(telemetry.metrics ? { onEvent: (event: CovetEvent) => countEvent(telemetry, sets, event) } : {}),
  }
  const stopObserving = auth.observe(observer)

  const gauges = [i.cacheSize, i.cacheHitRatio, i.storeSize, i.keyRetireIn]
  const observe: BatchObservableCallback = (result) => {
    const stats = auth.stats()
    const base = telemetry.attributes
    if (stats.cacheEntries !== undefined) {
      result.observe(i.cacheSize, stats.cacheEntries, base)
      if (lookups > 0) result.observe(i.cacheHitRatio, hits / lookups, base)
      hits = 0
      lookups = 0
    }
    if (stats.revocationEntries !== undefined) result.observe(i.storeSize, stats.revocationEntries, base)
    const oldest = stats.retiringKeys[0]
    if (oldest !== undefined) {
      result.observe(i.keyRetireIn, oldest.retireAt - Date.now() / 1000, { ...base, [A.keyId]: oldest.kid })
    }
  }
  telemetry.meter.addBatchObservableCallback(observe, gauges)

  return () => {
    stopObserving()
    telemetry.meter.removeBatchObservableCallback(observe, gauges)
  }
}

function verifyAttributes(sets: AttributeSets, expected: TokenType | 'any', outcome: VerifyOutcome) {
  const type = outcome.tokenType ?? expected
  const { cached, error } = outcome
  if (error === undefined) {
    return sets.get(`ok ${type} ${cached}`, () => ({
      [A.tokenType]: type,
      [A.outcome]: 'success',
      [A.cacheHit]: cached,
    }))
  }
  const reason = 'reason' in error ? String(error.reason) : undefined
  return sets.get(`failed ${type} ${cached} ${error.code} ${reason}`, () => ({
    [A.tokenType]: type,
    [A.outcome]: 'failure',
    [A.cacheHit]: cached,
    [A.reason]: reason,
    [A.errorType]: error.code,
  }))
}

/** Events as counters. Subjects, token ids and family ids are never read. */
function countEvent(telemetry: Telemetry, sets: AttributeSets, event: CovetEvent): void {
  const i = telemetry.instruments
  const client = (clientId: string | undefined) => ({ [A.clientId]: clientId })
  switch (event.type) {
    case 'token.issued': {
      const { tokenType, grantType, clientId } = event
      i.tokensIssued.add(
        1,
        sets.get(JSON.stringify(['issued', tokenType, grantType, clientId]), () => ({
          [A.tokenType]: tokenType,
          [A.grantType]: grantType,
          ...client(clientId),
        })),
      )
      return
    }
    case 'refresh.rotated':
      i.refreshRotations.add(
        1,
        sets.get(JSON.stringify(['client', event.clientId]), () => client(event.clientId)),
      )
      return
    case 'refresh.reuse_detected':
      i.refreshReuse.add(
        1,
        sets.get(JSON.stringify(['client', event.clientId]), () => client(event.clientId)),
      )
      return
    case 'token.revoked':
    case 'subject.revoked': {
      const target = event.type === 'subject.revoked' ? 'subject' : event.familyRevoked ? 'family' : 'token'
      i.revocations.add(
        1,
        sets.get(`revoked ${target}`, () => ({ [A.revocationTarget]: target })),
      )
      return
    }
    case 'store.failed': {
      const { operation, failOpen } = event
      const fallback = failOpen ? 'fail_open' : 'fail_closed'
      i.storeErrors.add(
        1,
        sets.get(`store ${operation} ${fallback}`, () => ({
          [A.storeOperation]: operation,
          [A.storeFallback]: fallback,
        })),
      )
      return
    }
    default:
      // Failed verifications are counted where they are timed (onVerify); warnings are not metrics.
      return
  }
}
