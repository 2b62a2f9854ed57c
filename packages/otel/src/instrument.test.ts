import { readFileSync } from 'node:fs'
import { createJwtAuth } from '@covet/core'
import { metrics, trace } from '@opentelemetry/api'
import { afterEach, describe, expect, it } from 'vitest'
import { instrument, VERSION } from './index.js'
import { METRICS as M, SPANS } from './names.js'
import { resolveTelemetry } from './telemetry.js'
import { createSdk } from './test-support/sdk.js'

const auth = () => createJwtAuth({ algorithm: 'HS256', keys: 'otel-instrument-secret-0123456789abcdef' })

afterEach(() => {
  metrics.disable()
  trace.disable()
})

describe('instrument: what it accepts', () => {
  it('refuses anything but a Covet instance, a token endpoint or a Redis store, naming it, and observes nothing', async () => {
    const real = await auth()
    let observed = 0
    const observe = real.observe.bind(real)
    real.observe = (observer) => {
      observed++
      return observe(observer)
    }
    expect(() => instrument([real, {} as never])).toThrow(
      new TypeError('target[1] must be a Covet instance, a token endpoint or a Redis store'),
    )
    expect(() => instrument((() => {}) as never)).toThrow(
      new TypeError('target must be a Covet instance, a token endpoint or a Redis store'),
    )
    expect(() => instrument([])).toThrow(new TypeError('instrument needs at least one target'))
    expect(observed).toBe(0)
  })

  it('refuses options that are not providers or attributes', async () => {
    const real = await auth()
    expect(() => instrument(real, { meterProvider: {} as never })).toThrow(
      new TypeError('meterProvider must be an OpenTelemetry MeterProvider'),
    )
    expect(() => instrument(real, { tracerProvider: 'x' as never })).toThrow(
      new TypeError('tracerProvider must be an OpenTelemetry TracerProvider'),
    )
    expect(() => instrument(real, { attributes: 5 as never })).toThrow(
      new TypeError('attributes must be an object of attribute values'),
    )
  })

  it('adds the attributes it is given to every point and span', async () => {
    const sdk = createSdk()
    const real = await auth()
    const stop = instrument(real, {
      meterProvider: sdk.meterProvider,
      tracerProvider: sdk.tracerProvider,
      attributes: { 'service.instance.id': 'api-1' },
    })
    await real.verifyToken(await real.createToken('alice'))
    for (const name of [M.tokensIssued, M.verifications, M.verifyDuration, M.cacheSize]) {
      expect((await sdk.points(name)).map((p) => p.attributes['service.instance.id'])).toEqual(['api-1'])
    }
    expect(sdk.spans()[0]?.attributes['service.instance.id']).toBe('api-1')
    stop()
    await sdk.shutdown()
  })

  it('reports its own version as the instrumentation scope version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })
})

describe('instrument: the global providers', () => {
  it('knows when no SDK is installed: no metrics, no spans', () => {
    const telemetry = resolveTelemetry()
    expect(telemetry.metrics).toBe(false)
    expect(telemetry.tracing()).toBe(false)
  })

  it('adds no hook at all when no SDK is registered, so verification runs untouched', async () => {
    const real = await auth()
    let observed = 0
    const observe = real.observe.bind(real)
    real.observe = (observer) => {
      observed++
      return observe(observer)
    }
    const stop = instrument(real)
    await real.verifyToken(await real.createToken('alice'))
    expect(observed).toBe(0)
    stop()
  })

  it('records through global providers registered before it', async () => {
    const sdk = createSdk()
    metrics.setGlobalMeterProvider(sdk.meterProvider)
    trace.setGlobalTracerProvider(sdk.tracerProvider)
    const real = await auth()
    const stop = instrument(real)
    await real.verifyToken(await real.createToken('alice'))
    expect(sdk.spans().map((span) => span.name)).toEqual([SPANS.verify])
    expect(await sdk.total(M.verifications)).toBe(1)
    stop()
    await sdk.shutdown()
  })

  it('traces through a global tracer provider registered after it when its meter provider is real', async () => {
    const sdk = createSdk()
    const real = await auth()
    const stop = instrument(real, { meterProvider: sdk.meterProvider })
    const token = await real.createToken('alice')
    await real.verifyToken(token)
    expect(sdk.spans()).toEqual([])
    trace.setGlobalTracerProvider(sdk.tracerProvider)
    await real.verifyToken(token)
    expect(sdk.spans().map((span) => span.name)).toEqual([SPANS.verify])
    expect(await sdk.total(M.verifications)).toBe(2)
    stop()
    await sdk.shutdown()
  })
})
