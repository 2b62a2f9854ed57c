import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AttributeSets } from './attributes.js'
import { ATTRIBUTES as A, SPANS } from './names.js'
import type { Telemetry } from './telemetry.js'

/** How a token request ended, as `@covet/oauth2`'s token endpoint tells its observers. */
export interface TokenRequestOutcome {
  readonly grantType: string | undefined
  readonly clientId: string | undefined
  readonly status: number
  readonly error: string | undefined
}

/** What `instrument` needs of a token endpoint (`createTokenEndpoint`'s result). */
export interface ObservableTokenEndpoint {
  (request: Request): Promise<Response>
  observe(observer: { onRequest?(): ((outcome: TokenRequestOutcome) => void) | undefined }): () => void
}

/**
 * Records a token endpoint: each request as a `covet.oauth2.token` span, a duration and a count,
 * and, for the password grant, failed logins and lockouts by client (never by username).
 */
export function instrumentTokenEndpoint(endpoint: ObservableTokenEndpoint, telemetry: Telemetry): () => void {
  const { instruments: i, tracer } = telemetry
  const sets = new AttributeSets(telemetry.attributes)
  return endpoint.observe({
    onRequest() {
      const tracing = telemetry.tracing()
      if (!telemetry.metrics && !tracing) return undefined
      const started = performance.now()
      const span = tracing ? tracer.startSpan(SPANS.token, { kind: SpanKind.INTERNAL }) : undefined
      return (outcome) => {
        const seconds = (performance.now() - started) / 1000
        const { grantType, clientId, status, error } = outcome
        const result = error === undefined ? 'success' : 'failure'
        const attributes = sets.get(JSON.stringify(['request', grantType, clientId, status, error]), () => ({
          [A.grantType]: grantType,
          [A.clientId]: clientId,
          [A.statusCode]: status,
          [A.outcome]: result,
          [A.oauthError]: error,
        }))
        if (telemetry.metrics) {
          i.tokenRequests.add(1, attributes)
          i.tokenDuration.record(
            seconds,
            sets.get(JSON.stringify(['duration', grantType, result]), () => ({
              [A.grantType]: grantType,
              [A.outcome]: result,
            })),
          )
          if (grantType === 'password') {
            const byClient = sets.get(JSON.stringify(['client', clientId]), () => ({
              [A.clientId]: clientId,
            }))
            // RFC 6749 §5.2: the password grant answers wrong credentials with invalid_grant.
            if (error === 'invalid_grant') i.loginFailures.add(1, byClient)
            // RFC 6585 §4: a failed-login limit answers 429.
            if (status === 429) i.lockouts.add(1, byClient)
          }
        }
        if (span !== undefined) {
          span.setAttributes(attributes)
          if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error })
          span.end()
        }
      }
    },
  })
}
