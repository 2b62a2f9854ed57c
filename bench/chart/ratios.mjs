/**
 * The ratio tables of docs/bench.md. Every ratio in them is computed here from figures printed in
 * the same table (or, for per-round ratios, from the rounds printed beside them), so a reader can
 * check each one; a ratio that the harness computed from figures the table does not show is
 * labelled as such.
 */
import { BARE_NODE_FETCH, RS256_REQUEST, requestOf, THOUSAND_TOKENS } from '../http/contenders.mjs'
import { decide, median, medianInterval } from '../http/median.mjs'
import { pairVerdict, wantedOf } from '../http/pairs.mjs'

const fixed = (value) => (Number.isFinite(value) ? value.toFixed(2) : '')
const thousands = (value) => Math.round(value).toLocaleString('en-US')

/** One markdown table, cells as given, numbers right-aligned. */
function table(header, rows, align) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  const rule = line(header.map((_, i) => (align[i] === 'r' ? '---:' : '---')))
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/**
 * Per-round req/s of `key` in bench/http's rows; `fastest bare` is the bare Node Fetch server with
 * the highest median req/s, `round-best bare` each round's best of them, either with `, RS256 token`
 * or `, a thousand tokens in turn` after it of those sent that request (as bench/http/report.mjs).
 */
function httpRounds(byKey, key, figure = 'rounds') {
  const request = requestOf(key)
  const baseline = key.slice(0, key.length - request.length)
  if (baseline === 'fastest bare') return fastestBareRow(byKey, request)?.[figure]
  if (baseline !== 'round-best bare') return byKey.get(key)?.[figure]
  const bare = bareRows(byKey, request)
  return bare.length === 0 || bare[0][figure] === undefined
    ? undefined
    : bare[0][figure].map((_, i) => Math.max(...bare.map((row) => row[figure][i])))
}

const bareRows = (byKey, request) =>
  BARE_NODE_FETCH.map((name) => byKey.get(`${name}${request}`)).filter(Boolean)

/** The row of the bare Node Fetch server with the highest median req/s (of those sent `request`). */
function fastestBareRow(byKey, request = '') {
  const bare = bareRows(byKey, request)
  return bare.length === 0 ? undefined : bare.reduce((best, row) => (row.rps > best.rps ? row : best))
}

/**
 * Per-round ratios of `key` to `baseline`, from the rounds printed in the tables: of req/s
 * (`figure` 'rounds'), or of requests per second of the server's own CPU ('cpuRounds').
 */
function httpRatios(byKey, key, baseline, figure = 'rounds') {
  const a = httpRounds(byKey, key, figure)
  const b = httpRounds(byKey, baseline, figure)
  return a === undefined || b === undefined ? [] : a.map((value, i) => value / b[i])
}

/**
 * How the median's interval is taken for `rounds` rounds, from the ranks medianInterval picks: its
 * coverage, and which order statistics bound it ("96.5 % … the 4th smallest and 4th largest").
 */
function intervalWording(rounds) {
  if (!Number.isInteger(rounds) || rounds < 1) return 'interval from the same ratios'
  const { low, coverage } = medianInterval(Array.from({ length: rounds }, (_, rank) => rank))
  const k = low + 1
  const nth = k === 1 ? '' : `${k}${k === 2 ? 'nd' : k === 3 ? 'rd' : 'th'} `
  return `${(coverage * 100).toFixed(1)} % interval from the same ratios (order statistics: the ${nth}smallest and ${nth}largest of them)`
}

function http(data) {
  const rows = data.results.filter((row) => Array.isArray(row.rounds) && row.rounds.length > 0)
  const byKey = new Map(rows.map((row) => [row.key, row]))
  const runtimes = [...new Set(rows.map((row) => row.runtime ?? 'node'))]
  // Runs before the server's CPU time was read have no such figures.
  const withCpu = rows.every((row) => Array.isArray(row.cpuRounds) && typeof row.busy === 'number')
  const parts = runtimes.map((runtime) => {
    // Each row's baseline as the harness wrote it (bare servers sent the same kind of token).
    const baselineOf = (row) => row.baseline ?? (runtime === 'node' ? 'fastest bare' : `${runtime} bare`)
    const body = rows
      .filter((row) => (row.runtime ?? 'node') === runtime)
      .map((row) => [
        row.key.replaceAll('|', '\\|'),
        thousands(row.rps),
        row.rounds.map(thousands).join(', '),
        baselineOf(row),
        fixed(median(httpRatios(byKey, row.key, baselineOf(row)))),
        ...(withCpu
          ? [
              `${Math.round(row.busy * 100)} %`,
              row.cpuRounds.map(thousands).join(', '),
              fixed(median(httpRatios(byKey, row.key, baselineOf(row), 'cpuRounds'))),
            ]
          : []),
      ])
    const header = [
      'contender',
      'req/s (median)',
      'rounds (req/s)',
      'baseline',
      '× baseline (median of per-round ratios)',
      ...(withCpu
        ? [
            'server CPU busy (median)',
            'rounds (requests per server CPU-second)',
            '× baseline per server CPU-second (median of per-round ratios)',
          ]
        : []),
    ]
    const align = ['l', 'r', 'r', 'l', 'r', ...(withCpu ? ['r', 'r', 'r'] : [])]
    return `#### ${runtime}\n\n${table(header, body, align)}`
  })
  const targets = (data.targets ?? []).map((target) => {
    const ratios = httpRatios(byKey, target.key, target.baseline)
    const value = median(ratios)
    const wanted = target.target
    const minimum = wanted.startsWith('>') ? '>1' : Number(wanted.slice(1))
    const met = minimum === '>1' ? value > 1 : value >= minimum
    const interval = medianInterval(ratios)
    return [
      target.label,
      ratios.map(fixed).join(', '),
      fixed(value),
      `${fixed(interval.low)}–${fixed(interval.high)}`,
      wanted,
      met ? 'met' : 'missed',
      decide(interval, minimum),
      ...(withCpu ? [fixed(median(httpRatios(byKey, target.key, target.baseline, 'cpuRounds')))] : []),
    ]
  })
  const { connections, seconds, rounds, warmupSeconds } = data.load ?? {}
  const cpuWording = withCpu
    ? "The last column is a second witness, not the issue's measure: the same median of per-round ratios, of requests answered per second of the server's own CPU time (read from /proc around each stretch). Where wrk, not the server, sets the pace, the server's CPU is partly idle, and req/s flatters the slower server; this figure does not. The tables above show how busy each server's CPU was.\n\n"
    : ''
  const load = data.loadavg
    ? ` Load average ${data.loadavg.before?.[0]?.toFixed(2)} before the run, ${data.loadavg.after?.[0]?.toFixed(2)} after.`
    : ''
  const others = data.others
    ? ` The other servers' processes, idle on the server's CPU, took a median ${data.others.medianMs} ms (at most ${data.others.maxMs} ms) of it during a ${seconds} s stretch.`
    : ''
  return [
    `### HTTP: \`pnpm bench:http\`\n\nGET /me; wrk, ${connections} connections, on CPU ${data.cpus?.load}, each server alone in its process on CPU ${data.cpus?.server}; ${warmupSeconds} s warm-up, ${rounds} interleaved rounds of ${seconds} s; Node ${data.node}.${load}${others} A contender's req/s is the median of its rounds; "fastest bare" is the one of ${BARE_NODE_FETCH.join(', ')} with the highest median req/s (${fastestBareRow(byKey)?.key ?? 'none run'}); "round-best bare", stricter, is each round's fastest of them. Every server is sent a valid HS256 token, and those without auth ignore it; a row sent an RS256 token instead (valid or forged) is compared with bare servers sent the same RS256 token ("…${RS256_REQUEST}"; fastest: ${fastestBareRow(byKey, RS256_REQUEST)?.key ?? 'none run'}), and a row sent a thousand valid tokens in turn with bare servers sent the same thousand through the same wrk script ("…${THOUSAND_TOKENS}"; fastest: ${fastestBareRow(byKey, THOUSAND_TOKENS)?.key ?? 'none run'}).`,
    ...parts,
    `#### Targets (issue 18, and the OpenTelemetry and DPoP issues)\n\nEach ratio is the median of the per-round ratios, computed from the rounds above; the issue judges that median. Beside it, the median's ${intervalWording(data.load?.rounds)}, and what it decides: "met" or "missed" when the whole interval lies on one side of the line, "undecided" when this run's noise straddles it.\n\n${cpuWording}${table(['target', 'per-round ratios', 'median', 'interval of the median', 'wanted', 'by the median', 'decided by the rounds', ...(withCpu ? ['per server CPU-second (median)'] : [])], targets, ['l', 'r', 'r', 'r', 'r', 'l', 'l', 'r'])}`,
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

/** bench:paired's pairs, each verdict computed again here from the rounds of its starts in the file. */
function paired(data) {
  const body = data.results.map((result) => {
    const verdict = pairVerdict(result.startRatios, result.target)
    const { low, high, coverage } = verdict.interval
    return [
      result.name,
      verdict.startMedians.map(fixed).join(', '),
      fixed(verdict.ratio),
      coverage >= 0.95 ? `${fixed(low)}–${fixed(high)}` : 'too few starts',
      wantedOf(result.target),
      verdict.decided ?? '',
    ]
  })
  const others = Object.keys(data.baseline?.toSrvx ?? {}).filter((name) => name !== 'srvx bare')
  const re =
    others.length === 0
      ? 'No other bare Node Fetch server was paired with srvx bare in this run.'
      : data.baseline.fastest === 'srvx bare'
        ? `srvx bare outran ${others.join(' and ')}: the pairs with it are against the issue's baseline, the fastest bare Node Fetch server.`
        : `The fastest bare Node Fetch server of the run was ${data.baseline.fastest}, ${fixed(data.baseline.factor)}× srvx bare: the pairs with srvx bare are that much above the issue's baseline.`
  return `### HTTP, two servers at once: \`pnpm bench:paired\`\n\nEach pair's two servers on CPU ${data.cpus?.server} at once, each driven by its own wrk on CPU ${data.cpus?.load}; ${data.starts} starts of fresh processes, ${data.rounds} rounds of ${data.seconds} s each; Node ${data.node}. The ratio is the first server's requests over the second's in the same seconds, the median of all the rounds; the 95 % interval is that of the starts' medians (order statistics: the true median lies in it with at least 95 % probability if starts are independent; rounds of one start are not), and it decides. ${re}\n\n${table(['pair', 'median of each start', 'ratio', '95 % interval (starts)', 'wanted', 'decided'], body, ['l', 'r', 'r', 'r', 'r', 'l'])}`
}

const RENDERERS = { http, paired, core, redis, rbac }

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
