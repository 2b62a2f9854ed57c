/**
 * The pairs of `bench:paired` (paired.mjs): each server is `[runtime, BENCH_CONTENDER, token]`, as
 * bench:http's contenders name them (contenders.mjs), what a pair's starts decide, and what the
 * pairs say of the Node baseline.
 */
import { decide, median, medianInterval } from './median.mjs'

/** What a pair's target asks, as printed: `≥ 0.85`, `> 1`, or nothing for a pair without one. */
export const wantedOf = (target) => (target === undefined ? '' : target === '>1' ? '> 1' : `≥ ${target}`)

/** A server of a pair: [runtime, BENCH_CONTENDER, token sent]. */
export const srvx = (token = 'HS256') => ['node', 'srvx:', token]
const bare = (runtime, token = 'HS256') => [runtime, 'runtime:bare', token]
/** The algorithms of the pairs measured once with each. */
const ALGORITHMS = ['HS256', 'RS256']

/**
 * [name, server, the server it is compared with, target]: a target of issue 18 (or a proposed one,
 * named so), a reference that sets one (which bare Node server is fastest), or a control. On Node
 * the baseline is the fastest bare Fetch server: srvx's, hono's node-server, or
 * @whatwg-node/server, each paired with srvx's here, so that a faster one would show.
 */
export const PAIRS = [
  ['node control: srvx bare, two of them', srvx(), srvx(), undefined],
  ['node hono bare vs srvx bare', ['node', 'hono:', 'HS256'], srvx(), undefined],
  ['node @whatwg-node/server bare vs srvx bare', ['node', 'whatwg:', 'HS256'], srvx(), undefined],
  ['node README handler HS256 cache on vs srvx bare', ['node', 'covet:HS256-cache', 'HS256'], srvx(), 0.85],
  [
    'node README handler RS256 cache on vs srvx bare, both sent the RS256 token',
    ['node', 'covet:RS256-cache', 'RS256'],
    srvx('RS256'),
    0.85,
  ],
  ["node Covet's adapter, no auth, vs srvx bare", ['node', 'covet:none', 'HS256'], srvx(), 0.95],
  [
    'node srvx reads: URL, Host and Authorization read, vs srvx bare',
    ['node', 'srvx:reads', 'HS256'],
    srvx(),
    undefined,
  ],
  [
    "node README handler HS256 cache on vs srvx reads (proposed, not the issue's)",
    ['node', 'covet:HS256-cache', 'HS256'],
    ['node', 'srvx:reads', 'HS256'],
    0.95,
  ],
  ...ALGORITHMS.map((alg) => [
    `node README handler ${alg} cache on vs fastify + @fastify/jwt ${alg}`,
    ['node', `covet:${alg}-cache`, alg],
    ['node', `fastify:${alg}`, alg],
    '>1',
  ]),
  ...ALGORITHMS.map((alg) => [
    `node cache off vs jose by hand, ${alg}`,
    ['node', `covet:${alg}-nocache`, alg],
    ['node', `jose:${alg}`, alg],
    0.95,
  ]),
  ...ALGORITHMS.map((alg) => [
    `node 401 vs jose by hand 401, ${alg}`,
    ['node', `covet:${alg}-cache`, `forged ${alg}`],
    ['node', `jose:${alg}`, `forged ${alg}`],
    1,
  ]),
  ...['bun', 'deno'].flatMap((runtime) => {
    const label = runtime === 'bun' ? 'Bun.serve' : 'Deno.serve'
    return [
      [`${runtime} control: ${label} bare, two of them`, bare(runtime), bare(runtime), undefined],
      [
        `${runtime} README handler HS256 cache on vs ${label} bare`,
        [runtime, 'runtime:HS256-cache', 'HS256'],
        bare(runtime),
        0.85,
      ],
      [
        `${runtime} README handler RS256 cache on vs ${label} bare, both sent the RS256 token`,
        [runtime, 'runtime:RS256-cache', 'RS256'],
        bare(runtime, 'RS256'),
        0.85,
      ],
      [
        `${runtime} floor: Authorization read and looked up, no verification, vs ${label} bare`,
        [runtime, 'runtime:floor', 'HS256'],
        bare(runtime),
        undefined,
      ],
      [
        `${runtime} reads: URL, Host and Authorization read, vs ${label} bare`,
        [runtime, 'runtime:reads', 'HS256'],
        bare(runtime),
        undefined,
      ],
      [
        `${runtime} README handler HS256 cache on vs the reads (proposed, not the issue's)`,
        [runtime, 'runtime:HS256-cache', 'HS256'],
        [runtime, 'runtime:reads', 'HS256'],
        0.95,
      ],
    ]
  }),
]

/**
 * What the pairs say of the Node baseline: each bare Fetch server's ratio to srvx bare
 * (srvx's own is 1), the fastest of them, and each Node target's ratio re-based on that fastest
 * (a target paired with srvx bare, divided by the fastest's ratio to srvx when that is above 1).
 */
export function nodeBaseline(results) {
  const toSrvx = { 'srvx bare': 1 }
  for (const [name, server] of [
    ['hono bare', 'node hono bare vs srvx bare'],
    ['@whatwg-node/server bare', 'node @whatwg-node/server bare vs srvx bare'],
  ]) {
    const result = results.find((r) => r.name === server)
    if (result !== undefined) toSrvx[name] = result.ratio
  }
  const [fastest, factor] = Object.entries(toSrvx).reduce((best, entry) =>
    entry[1] > best[1] ? entry : best,
  )
  return { toSrvx, fastest, factor }
}

/** Whether `pair` compares a server with bare srvx: its ratio is against the fastest bare Node server only while srvx is. */
export const againstSrvxBare = ([, , second]) => second[0] === 'node' && second[1] === 'srvx:'

/**
 * What a pair's rounds say, grouped by the start of fresh processes they ran in: the median of all
 * rounds, and the verdict from the interval of the starts' medians. Rounds of one start share what
 * that start gave its processes (compiled code, memory layout), so they are not independent and an
 * interval over them all would understate the spread from one start to the next; the starts are.
 * The interval over all rounds is kept beside it, to show how much narrower it would claim to be.
 */
export function pairVerdict(startRatios, target) {
  const rounds = startRatios.flat()
  const startMedians = startRatios.map(median)
  const interval = medianInterval(startMedians)
  return {
    ratio: median(rounds),
    interval,
    decided: target === undefined ? undefined : decide(interval, target),
    startMedians,
    roundsInterval: medianInterval(rounds),
  }
}
