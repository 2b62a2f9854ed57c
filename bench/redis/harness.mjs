/**
 * The in-process timing harness the Redis comparison uses: both stores run in this one process
 * (they are closures over live connections), warmed up, then measured in interleaved rounds
 * (A B, B A, …) so background noise hits both alike; each case reports the median of its rounds.
 */

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
      const run = entry.isAsync ? runAsync : runSync
      entry.samples.push(await run(entry.fn, entry.batch, settings.roundMs))
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
  const run = isAsync ? runAsync : runSync
  const opsPerSec = await run(fn, 1, ms)
  return { fn, isAsync, batch: Math.max(1, Math.round(opsPerSec / 500)) }
}

async function runAsync(fn, batch, ms) {
  let ops = 0
  const start = performance.now()
  let now = start
  do {
    for (let i = 0; i < batch; i++) await fn()
    ops += batch
    now = performance.now()
  } while (now - start < ms)
  return (ops * 1000) / (now - start)
}

function runSync(fn, batch, ms) {
  let ops = 0
  const start = performance.now()
  let now = start
  do {
    for (let i = 0; i < batch; i++) fn()
    ops += batch
    now = performance.now()
  } while (now - start < ms)
  return (ops * 1000) / (now - start)
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
