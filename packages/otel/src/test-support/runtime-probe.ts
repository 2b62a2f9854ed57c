/**
 * Run by Bun (or Deno) as a child process: instruments a Covet instance with the real SDK, drives
 * it, and prints what the SDK exported as JSON on standard output.
 */
import { createJwtAuth } from '@covet/core'
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { instrument } from '../index.js'
import { SCOPE } from '../telemetry.js'

const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })
const meterProvider = new MeterProvider({ readers: [reader] })
const spans = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })

const auth = await createJwtAuth({ algorithm: 'HS256', keys: 'runtime-probe-secret-0123456789abcdef-01' })
instrument(auth, { meterProvider, tracerProvider })

const pair = await auth.createTokenPair('alice', { clientId: 'web', grantType: 'password' })
await auth.verifyToken(pair.accessToken)
await auth.verifyToken(pair.accessToken)
await auth.verifyToken('not.a.token').catch(() => {})
await auth.refreshAccessToken(pair.refreshToken)
await auth.refreshAccessToken(pair.refreshToken).catch(() => {})

await reader.forceFlush()
const metrics: Record<string, { attributes: unknown; value: unknown }[]> = {}
for (const scope of exporter.getMetrics().at(-1)?.scopeMetrics ?? []) {
  if (scope.scope.name !== SCOPE) continue
  for (const metric of scope.metrics) {
    metrics[metric.descriptor.name] = metric.dataPoints.map((point) => ({
      attributes: point.attributes,
      value:
        typeof point.value === 'number' ? point.value : { count: (point.value as { count: number }).count },
    }))
  }
}
const runtime = 'Bun' in globalThis ? 'bun' : 'Deno' in globalThis ? 'deno' : 'node'
console.log(JSON.stringify({ runtime, metrics, spans: spans.getFinishedSpans().map((span) => span.name) }))
await meterProvider.shutdown()
