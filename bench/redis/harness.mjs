/**
 * The in-process timing harness the Redis comparison uses: both stores run in this one process
 * (they are closures over live connections), warmed up, then measured in interleaved rounds
 * (A B, B A, …) so background noise hits both alike; each case reports the median of its rounds.
 */
import { median, runFor } from '../core/harness.mjs'

/** @typedef {{ warmupMs: number, roundMs: number, rounds: number }} Settings */

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {}

/**
 * @param {Array<{ key: string, fn: () => unknown }>} cases
 * @param {Settings} settings
 * @returns {Promise<Map<string, { opsPerSec: number, samples: number[] }>>}
 */
export async function measureGroup(cases, settings) {
  const prepared = []
  for (const { key, fn } of cases) {
    prepared.push({ key, ...(await warmUp(fn, settings.warmupMs)), samples: [] })
  }
  for (let round = 0; round < settings.rounds; round++) {
    // Each round starts with a different case, so no case always runs first (or right after GC).
    for (let i = 0; i < prepared.length; i++) {
      const entry = prepared[(round + i) % prepared.length]
      gc()
      entry.samples.push(await runFor(entry.fn, entry.isAsync, entry.batch, settings.roundMs))
    }
  }
  return new Map(
    prepared.map((entry) => [entry.key, { opsPerSec: median(entry.samples), samples: entry.samples }]),
  )
}

/** Runs `fn` for `ms`, and picks a batch size of about 2 ms so the clock is read rarely. */
async function warmUp(fn, ms) {
  const first = fn()
  const isAsync = typeof first?.then === 'function'
  if (isAsync) await first
  const opsPerSec = await runFor(fn, isAsync, 1, ms)
  return { fn, isAsync, batch: Math.max(1, Math.round(opsPerSec / 500)) }
}
