/**
 * One benchmark case in its own isolate. Builds the case, checks that it really verifies (or
 * signs), then answers `{ warmupMs }` and `{ roundMs }` messages with operations per second.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { buildCase } from './contenders.mjs'
import { runFor } from './harness.mjs'

try {
  const { fn, isAsync, opsPerCall } = await buildCase(workerData.key, workerData.material)
  let batch = 1
  parentPort.on('message', async (message) => {
    try {
      if (message.warmupMs !== undefined) {
        const opsPerSec = (await runFor(fn, isAsync, 1, message.warmupMs)) * opsPerCall
        // About 2 ms between clock reads.
        batch = Math.max(1, Math.round(opsPerSec / opsPerCall / 500))
        parentPort.postMessage(opsPerSec)
      } else {
        parentPort.postMessage((await runFor(fn, isAsync, batch, message.roundMs)) * opsPerCall)
      }
    } catch (error) {
      parentPort.postMessage({ error: `${workerData.key}: ${error.message}` })
    }
  })
} catch (error) {
  parentPort.once('message', () => parentPort.postMessage({ error: `${workerData.key}: ${error.message}` }))
}
