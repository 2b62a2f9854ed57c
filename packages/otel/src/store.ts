import type { BatchObservableCallback } from '@opentelemetry/api'
import { AttributeSets } from './attributes.js'
import { ATTRIBUTES as A } from './names.js'
import type { Telemetry } from './telemetry.js'

/** What `instrument` needs of a shared store (`@covet/redis`'s `createRedisStore` result). */
export interface ObservableStore {
  readonly coherent: boolean
  observe(observer: {
    onOperation?(operation: string): ((outcome: { readonly failed: boolean }) => void) | undefined
  }): () => void
}

/**
 * Records a Redis store: the duration of each operation (a round trip), by operation and
 * outcome, and whether its local cache is coherent. Its size is reported through the Covet
 * instance that uses it (`covet.store.size`).
 */
export function instrumentStore(store: ObservableStore, telemetry: Telemetry): () => void {
  const { instruments: i } = telemetry
  const sets = new AttributeSets(telemetry.attributes)
  const stopObserving = store.observe({
    onOperation(operation) {
      if (!telemetry.metrics) return undefined
      const started = performance.now()
      return ({ failed }) => {
        const result = failed ? 'failure' : 'success'
        i.storeDuration.record(
          (performance.now() - started) / 1000,
          sets.get(`${operation} ${result}`, () => ({ [A.storeOperation]: operation, [A.outcome]: result })),
        )
      }
    },
  })
  const observe: BatchObservableCallback = (result) => {
    result.observe(i.storeCoherent, store.coherent ? 1 : 0, telemetry.attributes)
  }
  telemetry.meter.addBatchObservableCallback(observe, [i.storeCoherent])
  return () => {
    stopObserving()
    telemetry.meter.removeBatchObservableCallback(observe, [i.storeCoherent])
  }
}
