/**
 * `pnpm bench:redis`: token verifications per second with the Redis revocation store next to the
 * in-memory one, in one run (about 30 s). Both stores hold the same revocations; the Redis store
 * answers from its local cache, so the target is at least 0.9× the in-memory figure. Prints a
 * markdown table, counts the Redis commands sent while measuring, times how soon a store in
 * another process refuses a revoked token, and writes the raw figures to
 * `bench/results/redis.json`. `REDIS_URL` picks the server (default 127.0.0.1:6379);
 * `BENCH_QUICK=1` runs a shorter smoke version. The revocations it writes expire within minutes.
 */

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { cpus } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createJwtAuth, MemoryRevocationStore } from '@covet/core'
import { createRedisStore } from '@covet/redis'
import { measureGroup } from './harness.mjs'

const TARGET = 0.9
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const POOL_SIZE = 64
const REVOKED = 1000
const PROPAGATION_SAMPLES = process.env.BENCH_QUICK === '1' ? 20 : 200
const settings =
  process.env.BENCH_QUICK === '1'
    ? { warmupMs: 50, roundMs: 50, rounds: 3 }
    : { warmupMs: 300, roundMs: 250, rounds: 15 }

const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')
const base = { algorithm: 'HS256', keys: secret, issuer: 'https://bench.covet.example', audience: 'bench' }
const prefix = `covet-bench:${crypto.randomUUID().slice(0, 8)}:`

const memory = new MemoryRevocationStore()
// A long heartbeat keeps its PING out of the command count below; it does not affect timing.
const redis = await createRedisStore({ url: REDIS_URL, prefix, heartbeatInterval: '10m' })
const contenders = { memory, redis }

// The same state in both stores: revoked tokens, a revoked family and a revoked subject.
const now = Math.floor(Date.now() / 1000)
for (const store of Object.values(contenders)) {
  for (let i = 0; i < REVOKED; i++) await store.revoke(`revoked-${i}`, now + 120)
  await store.revokeFamily('revoked-family', now + 120)
  await store.revokeSubject('revoked-subject', now - 3600, now + 120)
}

const auths = {}
for (const [name, revocation] of Object.entries(contenders)) {
  auths[name] = {
    cached: await createJwtAuth({ ...base, revocation }),
    uncached: await createJwtAuth({ ...base, revocation, cache: false }),
  }
}
const issuer = auths.memory.cached
const pool = await Promise.all(
  Array.from({ length: POOL_SIZE }, (_, i) => issuer.createTokenPair(`user-${i}`, { scope: 'read' })),
)
const tokens = pool.map((pair) => pair.accessToken)
const refs = tokens.map((_, i) => ({ jti: `live-${i}`, sub: `user-${i}`, iat: now, fid: `family-${i}` }))

// Every case is checked once before timing, so the bench never measures a failure path.
for (const { cached, uncached } of Object.values(auths)) {
  for (const token of tokens) {
    await cached.verifyToken(token)
    await uncached.verifyToken(token)
  }
}

function cycle(fn) {
  let i = 0
  return () => fn(i++ % POOL_SIZE)
}

const groups = {
  'verifyToken, cached token (cache hit: exp + revocation)': (name) =>
    cycle((i) => auths[name].cached.verifyToken(tokens[i])),
  'verifyToken, cache off (HS256 signature every time)': (name) =>
    cycle((i) => auths[name].uncached.verifyToken(tokens[i])),
  'store.isRevoked alone': (name) => cycle((i) => contenders[name].isRevoked(refs[i])),
}

const commandsBefore = await commandCount()
const started = performance.now()
const rows = []
for (const [label, make] of Object.entries(groups)) {
  const figures = await measureGroup(
    Object.keys(contenders).map((name) => ({ key: name, fn: make(name) })),
    settings,
  )
  const m = figures.get('memory').opsPerSec
  const r = figures.get('redis').opsPerSec
  rows.push({ label, memory: m, redis: r, ratio: r / m, samples: Object.fromEntries(figures) })
}
const seconds = (performance.now() - started) / 1000
const commandsDuring = (await commandCount()) - commandsBefore - 1
const propagation = await measurePropagation(PROPAGATION_SAMPLES)

await redis.close()

const fmt = (n) => Math.round(n).toLocaleString('en-US')
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(
  `\nNode ${process.version}, ${cpu}, ${cpus().length} cores; HS256, a pool of ${POOL_SIZE} access tokens, ` +
    `${REVOKED} revoked jtis in each store; median of ${settings.rounds} interleaved rounds of ` +
    `${settings.roundMs} ms after ${settings.warmupMs} ms warm-up.\n`,
)
console.log('| case | in-memory ops/s | Redis store ops/s | Redis / memory |')
console.log('|---|---:|---:|---:|')
for (const row of rows) {
  console.log(`| ${row.label} | ${fmt(row.memory)} | ${fmt(row.redis)} | ${row.ratio.toFixed(2)}× |`)
}
console.log(
  `\nRedis commands received by the server while measuring (${seconds.toFixed(0)} s, every client): ${commandsDuring}`,
)
console.log(
  `Revocation seen by a store in another process, from the acknowledged write (${propagation.samples} revocations): ` +
    `p50 ${propagation.p50.toFixed(2)} ms, p99 ${propagation.p99.toFixed(2)} ms, max ${propagation.max.toFixed(2)} ms (target: 100 ms)`,
)
const missed = rows.filter((row) => row.label.startsWith('verifyToken') && row.ratio < TARGET)
console.log(
  missed.length === 0
    ? `Target met: every verifyToken case at or above ${TARGET}× in-memory.`
    : `Target missed (${TARGET}×): ${missed.map((row) => row.label).join('; ')}`,
)

const out = new URL('../results/redis.json', import.meta.url)
await mkdir(new URL('.', out), { recursive: true })
await writeFile(
  out,
  `${JSON.stringify({ name: 'redis', node: process.version, cpu, settings, target: TARGET, commandsDuring, propagation, rows }, null, 2)}\n`,
)
console.log('Raw figures: bench/results/redis.json')

/** Total commands the server has executed, from `INFO stats` over a bare socket (counts itself too). */
async function commandCount() {
  const url = new URL(REDIS_URL)
  const socket = connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) })
  socket.write('INFO stats\r\n')
  let text = ''
  for await (const chunk of socket) {
    text += chunk
    const match = /total_commands_processed:(\d+)/.exec(text)
    if (match && text.endsWith('\r\n\r\n')) {
      socket.destroy()
      return Number(match[1])
    }
  }
  throw new Error('no INFO reply')
}

/** Revoke through this process's store; time until a store in a child process refuses the jti. */
async function measurePropagation(samples) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./watcher.mjs', import.meta.url)), REDIS_URL, prefix],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  if ((await lines.next()).value !== 'ready') throw new Error('watcher did not start')
  const delays = []
  for (let i = 0; i < samples; i++) {
    const jti = `propagation-${i}`
    child.stdin.write(`${jti}\n`)
    await new Promise((resolve) => setTimeout(resolve, 2))
    await redis.revoke(jti, Math.floor(Date.now() / 1000) + 120)
    const written = performance.timeOrigin + performance.now()
    const seen = JSON.parse((await lines.next()).value)
    delays.push(Math.max(0, seen.at - written))
  }
  child.stdin.write('close\n')
  await once(child, 'exit')
  delays.sort((a, b) => a - b)
  const pick = (q) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]
  return { samples, p50: pick(0.5), p99: pick(0.99), max: delays.at(-1) }
}
