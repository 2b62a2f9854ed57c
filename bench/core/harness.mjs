/**
 * A small, fair timing harness. Each case runs in its own worker thread, that is its own V8
 * isolate: no library's inline caches or JIT state are shaped by another's calls, as in a real
 * server that uses only one of them. Every case is warmed up, then the cases of one group are
 * measured in interleaved rounds (A B C, B C A, C A B, …; a pair A B, A B, …), one worker at a
 * time, so background noise hits all of them alike; each case reports the median of its rounds,
 * pooled over several fresh sets of isolates. Sync functions run in a sync loop, async ones are
 * awaited one at a time: each library through its own natural API. No collection is forced
 * between rounds: the garbage a case makes is part of what it costs.
 */
import { Worker } from 'node:worker_threads'

/** @typedef {{ warmupMs: number, roundMs: number, rounds: number, isolates?: number }} Settings */

const WORKER = new URL('./worker.mjs', import.meta.url)

/**
 * Measures a group of cases `isolates` times over, each time in fresh workers: one isolate can
 * run persistently faster or slower than the next (memory layout, and without CPU pinning the
 * CPU its thread landed on: see run.mjs), so a ratio is only trusted across several. Samples of
 * every isolate are pooled; round `n` of one case pairs with round `n` of the others.
 *
 * @param {string[]} keys the cases to measure, by name (see `buildCase`)
 * @param {unknown} material what `buildCase` needs: keys as PEM/secret text, the token pool
 * @param {Settings} settings
 * @returns {Promise<Map<string, { opsPerSec: number, samples: number[] }>>}
 */
export async function measureGroup(keys, material, settings) {
  const samples = new Map(keys.map((key) => [key, []]))
  for (let isolate = 0; isolate < (settings.isolates ?? 1); isolate++) {
    for (const [key, measured] of await measureOnce(keys, material, settings))
      samples.get(key).push(...measured)
  }
  return new Map([...samples].map(([key, all]) => [key, { opsPerSec: median(all), samples: all }]))
}

async function measureOnce(keys, material, settings) {
  const workers = keys.map((key) => ({ key, worker: new Worker(WORKER, { workerData: { key, material } }) }))
  try {
    // Warm-ups one at a time, like the rounds: a worker never competes with another for the CPU.
    for (const entry of workers) await ask(entry.worker, { warmupMs: settings.warmupMs })
    for (const entry of workers) entry.samples = []
    for (let round = 0; round < settings.rounds; round++) {
      // Each round starts with a different case, so no case always runs first; never the same
      // worker twice in a row (A B, B A would): here a worker's second round in a row ran far slower.
      for (let i = 0; i < workers.length; i++) {
        const entry = workers[workers.length < 3 ? i : (round + i) % workers.length]
        entry.samples.push(await ask(entry.worker, { roundMs: settings.roundMs }))
      }
    }
  } finally {
    await Promise.all(workers.map(({ worker }) => worker.terminate()))
  }
  return workers.map(({ key, samples }) => [key, samples])
}

function ask(worker, message) {
  return new Promise((resolve, reject) => {
    const onMessage = (reply) => {
      worker.off('error', reject)
      if (typeof reply === 'number') resolve(reply)
      else reject(new Error(reply.error))
    }
    worker.once('message', onMessage)
    worker.once('error', reject)
    worker.postMessage(message)
  })
}

/** Runs `fn` for about `ms`; `batch` calls between clock reads. Returns operations per second. */
export async function runFor(fn, isAsync, batch, ms) {
  let ops = 0
  const start = performance.now()
  let now = start
  if (isAsync) {
    do {
      for (let i = 0; i < batch; i++) await fn()
      ops += batch
      now = performance.now()
    } while (now - start < ms)
  } else {
    do {
      for (let i = 0; i < batch; i++) fn()
      ops += batch
      now = performance.now()
    } while (now - start < ms)
  }
  return (ops * 1000) / (now - start)
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
