/**
 * The ratio tables of docs/bench.md. Every ratio in them is computed here from figures printed in
 * the same table (or, for per-round ratios, from the rounds printed beside them), so a reader can
 * check each one; a ratio that the harness computed from figures the table does not show is
 * labelled as such.
 */

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const fixed = (value) => (Number.isFinite(value) ? value.toFixed(2) : '')
const thousands = (value) => Math.round(value).toLocaleString('en-US')

/** One markdown table, cells as given, numbers right-aligned. */
function table(header, rows, align) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  const rule = line(header.map((_, i) => (align[i] === 'r' ? '---:' : '---')))
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** The rows of bench/http that share a runtime, and the row each is compared with. */
function httpBaseline(rows, row) {
  if (row.key.includes('401')) return rows.find((other) => other.key === 'jose by hand 401 (forged HS256)')
  const prefix = row.runtime === 'node' ? '' : `${row.runtime} `
  return rows.find((other) => other.key === `${prefix}unprotected`)
}

/** The pairs bench/http measures back to back, each side of a target ratio. */
const HTTP_PAIRS = [
  ['covet HS256 cache on', 'unprotected'],
  ['covet RS256 cache on', 'unprotected'],
  ['covet HS256 cache on, instrumented, no SDK', 'covet HS256 cache on'],
  ['covet HS256 cache off', 'jose by hand HS256'],
  ['covet RS256 cache off', 'jose by hand RS256'],
  ['covet 401 (forged HS256)', 'jose by hand 401 (forged HS256)'],
]

function http(data) {
  const rows = data.results.filter((row) => Array.isArray(row.rounds) && row.rounds.length > 0)
  const runtimes = [...new Set(rows.map((row) => row.runtime ?? 'node'))]
  const parts = runtimes.map((runtime) => {
    const own = rows.filter((row) => (row.runtime ?? 'node') === runtime)
    const body = own.map((row) => {
      const base = httpBaseline(rows, row)
      const ratio = base === undefined || base === row ? '' : `${fixed(row.rps / base.rps)} ÷ ${base.key}`
      return [row.key.replaceAll('|', '\\|'), thousands(row.rps), row.rounds.map(thousands).join(', '), ratio]
    })
    return `#### ${runtime}\n\n${table(['contender', 'req/s (median)', 'rounds (req/s)', 'ratio of the medians'], body, ['l', 'r', 'r', 'l'])}`
  })
  const byKey = new Map(rows.map((row) => [row.key, row]))
  const pairs = HTTP_PAIRS.filter(([a, b]) => byKey.has(a) && byKey.has(b)).map(([a, b]) => {
    const ratios = byKey.get(a).rounds.map((rps, i) => rps / byKey.get(b).rounds[i])
    return [`${a} ÷ ${b}`, ratios.map(fixed).join(', '), fixed(median(ratios))]
  })
  const { connections, duration, rounds } = data.load ?? {}
  return [
    `### HTTP: \`pnpm bench:http\`\n\nGET /me, ${connections} connections, ${rounds} interleaved rounds of ${duration} s, Node ${data.node}. A contender's req/s is the median of its rounds.`,
    ...parts,
    `#### Pairs measured back to back\n\nEach round measures both sides of a pair one after the other, so the machine's drift cancels within a round; the median of the per-round ratios (from the rounds above) is the figure a target is judged on. It differs from the ratio of the medians when rounds ran fast or slow.\n\n${table(['pair', 'per-round ratios', 'median'], pairs, ['l', 'r', 'r'])}`,
  ].join('\n\n')
}

const ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA']

function core(data) {
  const ops = (alg, label) => data.rows.find((row) => row.label === `${alg} ${label}`)?.opsPerSec
  const harness = (alg, label) => data.rows.find((row) => row.label === `${alg} ${label}`)?.ratio
  const figure = (label) => ALGORITHMS.map((alg) => thousands(ops(alg, label) ?? Number.NaN))
  const divide = (a, b) => ALGORITHMS.map((alg) => fixed(ops(alg, a) / ops(alg, b)))
  const VERIFY = 'auth.verifyToken, cache: false'
  const JOSE = 'jose.jwtVerify, pre-imported CryptoKey'
  const CACHE = 'auth.verifyToken, verified-token cache (repeated tokens)'
  const FAST = 'fast-jwt verifier, cache: true'
  const target = data.targets ?? {}
  const body = [
    [`\`auth.verifyToken\`, cache off`, ...figure(VERIFY)],
    [`plain \`jose.jwtVerify\`, pre-imported key`, ...figure(JOSE)],
    ['ratio of the two rows above', ...divide(VERIFY, JOSE)],
    [
      `harness: median of per-round ratios (target ≥ ${target.verify})`,
      ...ALGORITHMS.map((alg) => fixed(harness(alg, VERIFY))),
    ],
    ['control: jose ÷ jose in another isolate', ...ALGORITHMS.map((alg) => fixed(data.controlRatios?.[alg]))],
    [`\`auth.verifyToken\`, verified-token cache`, ...figure(CACHE)],
    ['fast-jwt with its cache', ...figure(FAST)],
    ['ratio of the two rows above', ...divide(CACHE, FAST)],
    [
      `harness: median of per-round ratios (target ≥ ${target.cache})`,
      ...ALGORITHMS.map((alg) => fixed(harness(alg, CACHE))),
    ],
    ['`auth.createToken`', ...figure('auth.createToken')],
    ['jose `SignJWT`', ...figure('jose SignJWT, pre-imported CryptoKey')],
    ['ratio of the two rows above', ...divide('auth.createToken', 'jose SignJWT, pre-imported CryptoKey')],
  ]
  return `### Verification in-process: \`pnpm bench:core\`\n\nOperations per second, Node ${data.node}, ${data.cpu ?? 'CPU not recorded'}. The harness rows are medians of ratios taken round by round, which this file does not hold; the rows above them divide the figures shown.\n\n${table(['ops/s', ...ALGORITHMS], body, ['l', 'r', 'r', 'r', 'r'])}`
}

function redis(data) {
  const body = data.rows.map((row) => {
    const rounds = (side) => row.samples?.[side]?.samples ?? []
    const perRound = rounds('redis').map((value, i) => value / rounds('memory')[i])
    return [
      row.label,
      thousands(row.memory),
      thousands(row.redis),
      fixed(row.redis / row.memory),
      perRound.length > 0 ? fixed(median(perRound)) : '',
    ]
  })
  const { p50, p99 } = data.propagation ?? {}
  return `### Redis store: \`pnpm bench:redis\`\n\nOperations per second with the in-memory store and with the Redis store, Node ${data.node}, ${data.cpu ?? 'CPU not recorded'}. Redis received ${data.commandsDuring} commands while verifications ran; a revocation reached a store in another process in p50 ${fixed(p50)} ms, p99 ${fixed(p99)} ms.\n\n${table(['operation', 'memory', 'Redis', 'Redis ÷ memory', 'median of per-round ratios'], body, ['l', 'r', 'r', 'r', 'r'])}`
}

function rbac(data) {
  const covet = data.results?.covet?.opsPerCpuSec
  const naive = data.results?.naive?.opsPerCpuSec
  const body = [
    ['`RbacManager.hasPermission`', thousands(covet)],
    ['naive recursive resolver', thousands(naive)],
    ['ratio of the two rows above', fixed(covet / naive)],
  ]
  return `### RBAC: \`pnpm bench:rbac\`\n\n${data.roles?.toLocaleString('en-US')} roles ${data.levels} levels deep, ${data.checks?.toLocaleString('en-US')} checks, Node ${data.node}.\n\n${table(['checks per CPU second', ''], body, ['l', 'r'])}`
}

const RENDERERS = { http, core, redis, rbac }

/**
 * The ratio tables for the result files that have them, in a fixed order.
 * @param {Map<string, any>} results parsed bench/results/*.json by base name (`http`, `core`, …)
 * @returns {string}
 */
export function renderRatioTables(results) {
  return Object.entries(RENDERERS)
    .filter(([name]) => results.has(name))
    .map(([name, render]) => render(results.get(name)))
    .join('\n\n')
}
