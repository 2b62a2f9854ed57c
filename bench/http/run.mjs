/**
 * `pnpm bench:http`: requests/s and p99 latency of `GET /me` for Covet (the README's handler on
 * Node, Bun and Deno) next to bare Node Fetch servers (@hono/node-server, @whatwg-node/server,
 * srvx), fastify with and without @fastify/jwt, Hono with and without hono/jwt (on all three
 * runtimes), and jose by hand, all from one run. Every server runs in its own process pinned to
 * one CPU; wrk runs pinned to another (see load.mjs). After a warm-up, contenders are measured in
 * interleaved rounds (every other round in reverse order), each next to what it is compared with
 * (RUN_ORDER); every ratio is a median of per-round ratios.
 * Prints the table and each target of the issue, with the 95 % interval of its median over the
 * rounds and whether that interval decides the target (median.mjs), and writes the figures to
 * `bench/results/http.json`. Beside each ratio of requests a second, the same ratio of requests
 * per second of the server's own CPU time (from /proc): where the load generator, not the server,
 * sets the pace, the first flatters the slower server and the second does not.
 *
 * BENCH_ROUNDS (default 9), BENCH_SECONDS (2), BENCH_ONLY=<regexp> (a subset), BENCH_QUICK=1 (one
 * round of one second: a smoke test).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDpopProof, createJwtAuth } from '@covet/core'
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import { CONTENDERS, RS256_REQUEST, RUN_ORDER, requestOf, THOUSAND_TOKENS } from './contenders.mjs'
import { processCpuMs } from './cpu-time.mjs'
import { checkTools, cpus, wrk } from './load.mjs'
import { median } from './median.mjs'
import { dpopRows, fastestBareServer, roundWinners, tableRows, targetRows } from './report.mjs'
import { benchDir, forge, startContender } from './runtimes.mjs'

checkTools()
const here = dirname(fileURLToPath(import.meta.url))
const quick = process.env.BENCH_QUICK === '1'
const load = {
  connections: 32,
  seconds: Number(process.env.BENCH_SECONDS ?? (quick ? 1 : 2)),
  rounds: Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 9)),
  warmupSeconds: quick ? 1 : 2,
}

// Keys and tokens, made here and handed to every server through the environment; each library
// verifies tokens that Covet signed with the same key.
const secret = randomBytes(48).toString('base64url')
const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
})
const ec = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
})
const claims = { issuer: 'https://bench.covet.example', audience: 'bench', accessTokenTtl: '1h' }
const hs = await createJwtAuth({ ...claims, algorithm: 'HS256', keys: secret })
const rs = await createJwtAuth({ ...claims, algorithm: 'RS256', keys: rsa.privateKey })
const es = await createJwtAuth({ ...claims, algorithm: 'ES256', keys: ec.privateKey })
// The client's DPoP key (RFC 9449): ES256, as most clients use; tokens bound to it carry its thumbprint.
const dpopKey = await generateKeyPair('ES256')
const dpopJkt = await calculateJwkThumbprint(await exportJWK(dpopKey.publicKey))
const tokens = {
  HS256: await hs.createToken('bench-user'),
  RS256: await rs.createToken('bench-user'),
  ES256: await es.createToken('bench-user'),
  'DPoP HS256': await hs.createToken('bench-user', { dpopJkt }),
}
/** A thousand valid tokens of different sessions (each its own `jti`), for the rows that send them in turn. */
const sessions = {
  HS256: await Promise.all(Array.from({ length: 1000 }, () => hs.createToken('bench-user'))),
}
tokens['forged HS256'] = forge(tokens.HS256)
tokens['forged RS256'] = forge(tokens.RS256)
/**
 * 50,000 distinct forgeries of `token`, for the 401 path with a different token on every request
 * (header-values.lua, cycling): four signature characters near its end are numbered, so that an RSA signature
 * keeps its leading bytes (still below the modulus: the full check runs) and the last character
 * its zero bits.
 */
const forgeries = (token) => {
  const [h, p, s] = token.split('.')
  const numbered = (i) => `${s.slice(0, -6)}${i.toString(36).padStart(4, '0')}${s.slice(-2)}`
  return Array.from({ length: 50_000 }, (_, i) => `${h}.${p}.${numbered(i)}`)
}
const env = {
  BENCH_SECRET: secret,
  BENCH_RSA_PRIVATE: rsa.privateKey,
  BENCH_RSA_PUBLIC: rsa.publicKey,
  BENCH_EC_PRIVATE: ec.privateKey,
}
// Where the DPoP proofs of the next stretch, and the forged tokens, are written for header-values.lua.
const proofDir = await mkdtemp(join(tmpdir(), 'covet-bench-dpop-'))

/** Start one server on the server CPU, in its own process group; resolve once it prints `ready`. */
const startServer = (runtime, contender) => startContender(runtime, contender, env)

/**
 * Fresh proofs for the next stretch of a DPoP contender: a proof is spent by its first use, so
 * wrk sends each once (header-values.lua). Two and a half times as many as the fastest stretch so far, or
 * 15,000 a second, could send (a stretch that runs out fails with 401s); made now, and each proof's
 * `iat` is when it was made, so
 * making them must take well under the server's window (60 s + 10 s): it is reported, and a
 * stretch is refused beforehand when the proofs would be too old.
 */
async function writeProofs(entry, seconds) {
  // A cold warm-up or a busy moment can be several times slower than the next stretch.
  const count = Math.ceil(Math.max(entry.fastestRps ?? 0, 15_000) * seconds * 2.5) + load.connections
  const started = performance.now()
  const proofs = []
  for (let made = 0; made < count; made += 500) {
    const batch = Array.from({ length: Math.min(500, count - made) }, () =>
      createDpopProof(dpopKey, 'ES256', { method: 'GET', url: entry.target.url, accessToken: entry.token }),
    )
    proofs.push(...(await Promise.all(batch)))
  }
  await writeFile(entry.target.scriptArgs[0], `${proofs.join('\n')}\n`)
  const took = (performance.now() - started) / 1000
  process.stderr.write(`${entry.key}: ${count} proofs made in ${took.toFixed(1)} s\n`)
  if (took + seconds > 60) throw new Error(`${entry.key}: proofs made too slowly to stay fresh (${took} s)`)
}

/** One request before any load: the contender must answer what it is expected to answer. */
async function probe(entry) {
  const headers = { ...entry.target.headers }
  if (entry.dpop) {
    headers.dpop = await createDpopProof(dpopKey, 'ES256', {
      method: 'GET',
      url: entry.target.url,
      accessToken: entry.token,
    })
  }
  const response = await fetch(entry.target.url, { headers })
  const body = await response.text()
  if (response.status !== entry.status) throw new Error(`${entry.key}: ${response.status} ${body}`)
  if (entry.status === 200 && JSON.parse(body).sub !== 'bench-user') throw new Error(`${entry.key}: ${body}`)
}

/** One measured stretch; throws on socket errors or on a status other than the expected one. */
async function measure(entry, seconds) {
  if (entry.dpop) await writeProofs(entry, seconds)
  // What every other server process (idle, on the same CPU) took of it while this one was measured.
  const others = entries.filter((other) => other !== entry)
  const othersCpu = () => others.reduce((sum, other) => sum + (processCpuMs(other.server.pid) ?? 0), 0)
  const othersFrom = othersCpu()
  const serverFrom = processCpuMs(entry.server.pid)
  const result = wrk(entry.target, seconds)
  const serverMs = processCpuMs(entry.server.pid) - serverFrom
  result.othersMs = othersCpu() - othersFrom
  // Requests answered per second of the server's own CPU time, and how busy its CPU was: where wrk,
  // not the server, sets the pace (the server's CPU partly idle), req/s flatters the slower server
  // and this figure does not.
  result.perCpuSecond = serverMs > 0 ? result.total / (serverMs / 1000) : Number.NaN
  result.busy = serverMs / (seconds * 1000)
  const wrong = entry.status === 200 ? result.non2xx : result.total - result.non2xx
  if (result.errors > 0 || wrong > 0 || result.total === 0)
    throw new Error(
      `${entry.key}: ${result.errors} socket errors, ${wrong} unexpected statuses${entry.dpop ? ' (or the proofs ran out)' : ''}`,
    )
  entry.fastestRps = Math.max(entry.fastestRps ?? 0, result.rps)
  return result
}

const unordered = CONTENDERS.filter(([key]) => !RUN_ORDER.includes(key)).map(([key]) => key)
if (unordered.length > 0 || RUN_ORDER.length !== CONTENDERS.length)
  throw new Error(`RUN_ORDER must list every contender once; missing: ${unordered.join(', ') || 'none'}`)
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)
const selected = CONTENDERS.filter(([key]) => only === undefined || only.test(key))
const before = loadavg()
const entries = []
try {
  for (const [key, runtime, contender, token, status] of selected) {
    const server = await startServer(runtime, contender)
    const dpop = token?.startsWith('DPoP ') ?? false
    const scheme = dpop ? 'DPoP' : 'Bearer'
    // `forged each <alg>`: a different forged token on every request; `each <alg>`: a thousand valid
    // ones in turn; from a file header-values.lua reads.
    const first = token?.startsWith('forged each ')
      ? forgeries(tokens[token.slice('forged each '.length)])
      : token?.startsWith('each ')
        ? sessions[token.slice('each '.length)]
        : undefined
    const each = first !== undefined
    const headers =
      token === undefined ? {} : { authorization: `${scheme} ${each ? first[0] : tokens[token]}` }
    const entry = { key, runtime, status, server, rounds: [], dpop, token: tokens[token], tokenName: token }
    entries.push(entry)
    entry.target = { url: `http://127.0.0.1:${server.port}/me`, connections: load.connections, headers }
    if (dpop) {
      entry.target.script = join(here, 'header-values.lua')
      entry.target.scriptArgs = [join(proofDir, `${entries.length}.txt`), 'dpop', 'once']
    }
    if (each) {
      entry.target.script = join(here, 'header-values.lua')
      entry.target.scriptArgs = [
        join(proofDir, `${entries.length}.tokens.txt`),
        'authorization',
        'cycle',
        'Bearer ',
      ]
      await writeFile(entry.target.scriptArgs[0], `${first.join('\n')}\n`)
    }
    await probe(entry)
    await measure(entry, load.warmupSeconds)
  }
  // Each contender next to what it is compared with (RUN_ORDER); the tables keep CONTENDERS' order.
  const measured = entries.toSorted((a, b) => RUN_ORDER.indexOf(a.key) - RUN_ORDER.indexOf(b.key))
  for (let round = 0; round < load.rounds; round++) {
    // Every other round runs backwards, so no contender always follows the same neighbour.
    for (const entry of round % 2 === 0 ? measured : measured.toReversed()) {
      entry.rounds.push(await measure(entry, load.seconds))
    }
    process.stderr.write(`round ${round + 1}/${load.rounds} done\n`)
  }
} finally {
  await Promise.all(entries.map((entry) => entry.server.stop()))
  await rm(proofDir, { recursive: true, force: true })
}

const byKey = new Map(entries.map((entry) => [entry.key, entry]))
// CPU time the idle servers took during the measured stretches: each server is meant to be alone on its CPU.
const othersMs = entries.flatMap((entry) => entry.rounds.map((round) => round.othersMs))
const others = { medianMs: othersMs.length > 0 ? median(othersMs) : 0, maxMs: Math.max(0, ...othersMs) }
const rows = tableRows(entries, byKey)
const targets = targetRows(byKey)
const after = loadavg()
const fixed = (numbers) => numbers.map((n) => n.toFixed(2)).join(' ')
console.log(
  `\nGET /me, wrk -t1 -c${load.connections} on CPU ${cpus.load}, each server alone on CPU ${cpus.server}, ` +
    `${load.warmupSeconds} s warm-up, ${load.rounds} interleaved rounds of ${load.seconds} s; Node ${process.version}; ` +
    `load average ${fixed(before)} before, ${fixed(after)} after; the other servers' processes took a median ` +
    `${others.medianMs} ms (at most ${others.maxMs} ms) of CPU ${cpus.server} during a stretch`,
)
for (const request of ['', RS256_REQUEST, THOUSAND_TOKENS]) {
  const fastest = fastestBareServer(byKey, request)
  if (fastest === undefined && request !== '') continue
  console.log(
    `fastest bare Node Fetch server${request} (highest median): ${fastest?.key ?? 'none run'}; ` +
      `each round's fastest: ${roundWinners(byKey, request).join(', ')}`,
  )
}
console.log(
  '\n| contender | req/s | p99 ms | × baseline | server CPU busy | × baseline, per server CPU-second |\n|---|---:|---:|---|---:|---:|',
)
for (const row of rows) {
  const request = requestOf(row.baseline)
  const baseline = row.runtime === 'node' ? fastestBareServer(byKey, request)?.key : row.baseline
  const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)} (${baseline})`
  // Without /proc there is no CPU time to read: those cells stay empty.
  const cpuRatio = Number.isFinite(row.cpuRatio) ? row.cpuRatio.toFixed(2) : ''
  const busy = Number.isFinite(row.busy) ? `${(row.busy * 100).toFixed(0)} %` : ''
  console.log(`| ${row.key} | ${row.rps} | ${row.p99.toFixed(2)} | ${ratio} | ${busy} | ${cpuRatio} |`)
}
// The issue judges the median; the interval says whether this run's rounds pin it on one side of the line.
console.log(
  '\n| target | ratio | 95 % interval of the median | wanted | | decided by this run | per server CPU-second |\n|---|---:|---:|---:|---|---|---:|',
)
for (const t of targets) {
  const interval = `${t.interval.low.toFixed(2)}–${t.interval.high.toFixed(2)}`
  console.log(
    `| ${t.label} | ${t.value.toFixed(2)} | ${interval} | ${t.target} | ${t.met ? 'met' : 'MISSED'} | ${t.decided} | ${Number.isFinite(t.cpu) ? t.cpu.toFixed(2) : ''} |`,
  )
}
const coverage = targets[0]?.interval.coverage
if (coverage !== undefined && coverage < 0.95)
  console.log(
    `(${load.rounds} rounds: the interval is the whole range, ${(coverage * 100).toFixed(1)} % coverage)`,
  )
const dpop = dpopRows(byKey)
if (dpop.length > 0) {
  console.log('\n| DPoP (RFC 9449), one fresh ES256 proof a request | figure |\n|---|---:|')
  for (const row of dpop) console.log(`| ${row.label} | ${row.text} |`)
}

await mkdir(join(benchDir, 'results'), { recursive: true })
await writeFile(
  join(benchDir, 'results/http.json'),
  `${JSON.stringify(
    {
      name: 'http',
      load,
      cpus,
      node: process.version,
      loadavg: { before, after },
      others,
      results: rows,
      targets: targets.map((t) => ({
        ...t,
        value: Number(t.value.toFixed(3)),
        cpu: Number.isFinite(t.cpu) ? Number(t.cpu.toFixed(3)) : null,
        interval: {
          low: Number(t.interval.low.toFixed(3)),
          high: Number(t.interval.high.toFixed(3)),
          coverage: Number(t.interval.coverage.toFixed(4)),
        },
      })),
      dpop,
    },
    null,
    2,
  )}\n`,
)
