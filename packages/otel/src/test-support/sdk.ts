import { type Attributes, context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { SCOPE } from '../telemetry.js'

// Spans started inside `context.with` (or startActiveSpan) find their parent, across awaits too.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())

export interface Point {
  readonly attributes: Attributes
  /** A counter's or gauge's value; a histogram's count. */
  readonly value: number
  /** A histogram's sum. */
  readonly sum?: number
}

/** The real OpenTelemetry SDK with in-memory exporters, as an application would set it up. */
export function createSdk() {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  // Exports only when flushed: each test reads exactly what happened so far.
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  })
  const meterProvider = new MeterProvider({ readers: [reader] })
  const spanExporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] })

  /** Flushes and returns `@covet/otel`'s metrics by name (cumulative since the start). */
  async function metrics(): Promise<Map<string, MetricData>> {
    await reader.forceFlush()
    const exports = metricExporter.getMetrics()
    const latest = exports.at(-1)
    metricExporter.reset()
    const byName = new Map<string, MetricData>()
    for (const scope of latest?.scopeMetrics ?? []) {
      if (scope.scope.name !== SCOPE) continue
      for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric)
    }
    return byName
  }

  /** The points of metric `name` whose attributes include `match`. */
  async function points(name: string, match: Attributes = {}): Promise<Point[]> {
    const metric = (await metrics()).get(name)
    if (metric === undefined) return []
    return metric.dataPoints
      .filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value))
      .map((point) =>
        metric.dataPointType === DataPointType.HISTOGRAM
          ? {
              attributes: point.attributes,
              value: (point.value as { count: number }).count,
              sum: (point.value as { sum: number }).sum,
            }
          : { attributes: point.attributes, value: point.value as number },
      )
  }

  /** The sum of the values (histograms: counts) of `name`'s points matching `match`. */
  async function total(name: string, match: Attributes = {}): Promise<number> {
    return (await points(name, match)).reduce((sum, point) => sum + point.value, 0)
  }

  return {
    meterProvider,
    tracerProvider,
    metrics,
    points,
    total,
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    async shutdown() {
      await meterProvider.shutdown()
      await tracerProvider.shutdown()
    },
  }
}

export type Sdk = ReturnType<typeof createSdk>

/** Every string an exported metric point or span carries, for the no-secrets scan. */
export async function exportedStrings(sdk: Sdk): Promise<string[]> {
  const strings: string[] = []
  for (const metric of (await sdk.metrics()).values()) {
    strings.push(metric.descriptor.name, metric.descriptor.description, metric.descriptor.unit)
    for (const point of metric.dataPoints) strings.push(JSON.stringify(point.attributes))
  }
  for (const span of sdk.spans()) {
    strings.push(span.name, JSON.stringify(span.attributes), JSON.stringify(span.status))
    strings.push(JSON.stringify(span.events), JSON.stringify(span.links))
  }
  return strings
}

/** Rows in a stable order (by their JSON text): tokens of one pair are signed concurrently. */
export function sorted<T>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}
