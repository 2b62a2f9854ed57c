import type { Counter, Histogram, Meter, ObservableGauge } from '@opentelemetry/api'
import { METRICS } from './names.js'

/** Every instrument `@covet/otel` records with, created once per meter. */
export interface Instruments {
  readonly tokensIssued: Counter
  readonly verifications: Counter
  readonly verifyDuration: Histogram
  readonly refreshRotations: Counter
  readonly refreshReuse: Counter
  readonly revocations: Counter
  readonly tokenRequests: Counter
  readonly tokenDuration: Histogram
  readonly loginFailures: Counter
  readonly lockouts: Counter
  readonly storeErrors: Counter
  readonly storeDuration: Histogram
  readonly storeSize: ObservableGauge
  readonly storeCoherent: ObservableGauge
  readonly cacheSize: ObservableGauge
  readonly cacheHitRatio: ObservableGauge
  readonly keyRetireIn: ObservableGauge
}

/** A verification takes microseconds from the cache, a fraction of a millisecond otherwise. */
const VERIFY_BUCKETS = [
  0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025,
  0.05, 0.1,
]
/** The OpenTelemetry HTTP server buckets: a token request hashes a secret and signs tokens. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
/** A Redis round trip on a local network. */
const STORE_BUCKETS = [
  0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
]

const cache = new WeakMap<Meter, Instruments>()

/** The instruments of `meter`, created on first use (the same names are never registered twice). */
export function instrumentsOf(meter: Meter): Instruments {
  let instruments = cache.get(meter)
  if (instruments === undefined) {
    instruments = create(meter)
    cache.set(meter, instruments)
  }
  return instruments
}

function create(meter: Meter): Instruments {
  const seconds = (boundaries: number[], description: string) => ({
    unit: 's',
    description,
    advice: { explicitBucketBoundaries: boundaries },
  })
  return {
    tokensIssued: meter.createCounter(METRICS.tokensIssued, {
      unit: '{token}',
      description: 'Tokens signed, by token type, OAuth 2 grant type and client.',
    }),
    verifications: meter.createCounter(METRICS.verifications, {
      unit: '{verification}',
      description: 'Token verifications, by outcome, failure reason, error code and cache hit.',
    }),
    verifyDuration: meter.createHistogram(
      METRICS.verifyDuration,
      seconds(VERIFY_BUCKETS, 'Duration of token verifications, cache hits and misses apart.'),
    ),
    refreshRotations: meter.createCounter(METRICS.refreshRotations, {
      unit: '{rotation}',
      description: 'Refresh tokens exchanged for a new pair, by client.',
    }),
    refreshReuse: meter.createCounter(METRICS.refreshReuse, {
      unit: '{detection}',
      description: 'Spent refresh tokens presented again (the family was revoked), by client.',
    }),
    revocations: meter.createCounter(METRICS.revocations, {
      unit: '{revocation}',
      description: 'Revocations: of one token, of a refresh family, or of every token of a subject.',
    }),
    tokenRequests: meter.createCounter(METRICS.tokenRequests, {
      unit: '{request}',
      description: 'Token endpoint requests, by grant type, client, status and OAuth 2 error.',
    }),
    tokenDuration: meter.createHistogram(
      METRICS.tokenDuration,
      seconds(REQUEST_BUCKETS, 'Duration of token endpoint requests.'),
    ),
    loginFailures: meter.createCounter(METRICS.loginFailures, {
      unit: '{failure}',
      description: 'Password grant requests refused for wrong credentials, by client.',
    }),
    lockouts: meter.createCounter(METRICS.lockouts, {
      unit: '{lockout}',
      description:
        'Password grant requests refused (429) because a failed-login limit is reached, by client.',
    }),
    storeErrors: meter.createCounter(METRICS.storeErrors, {
      unit: '{error}',
      description:
        'Revocation store calls that failed, and whether Covet refused (fail_closed) or went on (fail_open).',
    }),
    storeDuration: meter.createHistogram(
      METRICS.storeDuration,
      seconds(STORE_BUCKETS, 'Duration of Redis store operations (round trips).'),
    ),
    storeSize: meter.createObservableGauge(METRICS.storeSize, {
      unit: '{entry}',
      description: 'Entries in the revocation store, when the store reports its size.',
    }),
    storeCoherent: meter.createObservableGauge(METRICS.storeCoherent, {
      unit: '1',
      description: '1 while the Redis store answers revocation checks from a coherent local cache, else 0.',
    }),
    cacheSize: meter.createObservableGauge(METRICS.cacheSize, {
      unit: '{token}',
      description: 'Tokens in the verified-token cache.',
    }),
    cacheHitRatio: meter.createObservableGauge(METRICS.cacheHitRatio, {
      unit: '1',
      description: 'Share of verifications answered from the cache since the previous observation.',
    }),
    keyRetireIn: meter.createObservableGauge(METRICS.keyRetireIn, {
      unit: 's',
      description:
        'Seconds until the oldest key that verifies but no longer signs may be removed (0 or less: now).',
    }),
  }
}
