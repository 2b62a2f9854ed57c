// A second server for `run.mjs`: its own Redis store in its own process. For each jti read on
// stdin it polls its local cache and prints the machine-clock time it first refuses that jti.
import { createInterface } from 'node:readline'
import { createRedisStore } from '@covet/redis'

const [url, prefix] = process.argv.slice(2)
const store = await createRedisStore({ url, prefix })
const ref = (jti) => ({ jti, sub: 'watcher', iat: Math.floor(Date.now() / 1000) })

createInterface({ input: process.stdin }).on('line', async (jti) => {
  if (jti === 'close') {
    await store.close()
    process.exit(0)
  }
  // Spin on the cache (no timer granularity in the figure); give up after a second.
  const end = Date.now() + 1000
  while (store.isRevoked(ref(jti)) !== true && Date.now() < end) await new Promise(setImmediate)
  process.stdout.write(`${JSON.stringify({ jti, at: performance.timeOrigin + performance.now() })}\n`)
})
process.stdout.write('ready\n')
