import { ConfigError } from '@covet/core'
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus'
import { MeterProvider } from '@opentelemetry/sdk-metrics'

export interface MetricsServer {
  /** Where Prometheus scrapes: `http://HOST:PORT/metrics`. */
  readonly url: string
  /** What `@covet/otel`'s `instrument` records into. */
  readonly meterProvider: MeterProvider
  close(): Promise<void>
}

/**
 * Serves `/metrics` in the Prometheus text format on its own port, through the OpenTelemetry SDK
 * and its Prometheus exporter (a pull reader: every scrape collects). Rejects with a
 * `ConfigError` naming `OTEL_EXPORTER_PROMETHEUS_PORT` when that port cannot be listened on.
 */
export async function startMetrics(where: { host: string; port: number }): Promise<MetricsServer> {
  const exporter = new PrometheusExporter({ host: where.host, port: where.port, preventServerStart: true })
  try {
    await exporter.startServer()
  } catch (cause) {
    throw new ConfigError('OTEL_EXPORTER_PROMETHEUS_PORT', `cannot listen on ${where.host}:${where.port}`, {
      cause,
    })
  }
  const meterProvider = new MeterProvider({ readers: [exporter] })
  const host = where.host.includes(':') ? `[${where.host}]` : where.host
  return {
    url: `http://${host}:${where.port}/metrics`,
    meterProvider,
    // Shuts the exporter, and with it its server, down.
    close: () => meterProvider.shutdown(),
  }
}
