import {
  type Attributes,
  createNoopMeter,
  type Meter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { type Instruments, instrumentsOf } from './instruments.js'

/** The instrumentation scope every meter and tracer is named after. */
export const SCOPE = '@covet/otel'
/** The package version, reported with the scope. */
export const VERSION = '0.1.0'

export interface InstrumentOptions {
  /** Where metrics go. Default: the global provider (`metrics.setGlobalMeterProvider`). */
  meterProvider?: MeterProvider
  /** Where spans go. Default: the global provider, looked up on every span. */
  tracerProvider?: TracerProvider
  /**
   * Added to every metric point and span this call records, e.g. `{ 'service.instance.id': 'api' }`
   * to tell two instrumented instances apart. Never put a token, secret or user in here.
   */
  attributes?: Attributes
}

/** What every instrumented target records with. */
export interface Telemetry {
  readonly meter: Meter
  readonly instruments: Instruments
  /** Whether metrics go anywhere: false for the API's no-op meter (no SDK installed). */
  readonly metrics: boolean
  /** Whether a span started now would go anywhere. Checked per operation, cheaply. */
  readonly tracing: () => boolean
  readonly tracer: Tracer
  /** `options.attributes`, frozen; empty when none were given. */
  readonly attributes: Readonly<Attributes>
}

/**
 * Resolves the providers once. Without an SDK the API hands out no-op providers: as with the API
 * itself (a meter taken before the SDK is registered stays a no-op), register the SDK first.
 * `tracing` is still checked per operation, so an instrumented target whose meter is real starts
 * spans once a tracer provider is registered behind the global one.
 */
export function resolveTelemetry(options: InstrumentOptions = {}): Telemetry {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object')
  const { meterProvider, tracerProvider, attributes } = options
  if (meterProvider !== undefined && typeof meterProvider?.getMeter !== 'function') {
    throw new TypeError('meterProvider must be an OpenTelemetry MeterProvider')
  }
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== 'function') {
    throw new TypeError('tracerProvider must be an OpenTelemetry TracerProvider')
  }
  if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null)) {
    throw new TypeError('attributes must be an object of attribute values')
  }
  const meter = (meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE, VERSION)
  const tracers = tracerProvider ?? trace.getTracerProvider()
  return {
    meter,
    instruments: instrumentsOf(meter),
    metrics: meter !== createNoopMeter(),
    tracing: tracingProbe(tracers),
    tracer: tracers.getTracer(SCOPE, VERSION),
    attributes: Object.freeze({ ...attributes }),
  }
}

/** The API's no-op tracer provider, which the global proxy hands out until an SDK registers one. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate()

function tracingProbe(provider: TracerProvider): () => boolean {
  if (provider instanceof ProxyTracerProvider) return () => provider.getDelegate() !== NOOP_TRACER_PROVIDER
  return provider === NOOP_TRACER_PROVIDER ? () => false : () => true
}
