import { ConfigError } from '@covet/core'
import * as v from 'valibot'

/** The algorithms the demo accepts in `COVET_ALGORITHM` (issue 7's contract). */
export const DEMO_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256', 'HS384', 'HS512'] as const

export type DemoAlgorithm = (typeof DEMO_ALGORITHMS)[number]

/** The demo's settings, read once from the environment. */
export interface DemoConfig {
  readonly port: number
  readonly host: string
  readonly algorithm: DemoAlgorithm
  /** `http://HOST:PORT` unless `COVET_ISSUER` says otherwise. */
  readonly issuer: string | undefined
  readonly audience: string
  readonly redisUrl: string | undefined
  readonly redisPrefix: string
  /** Where `/metrics` is served (Prometheus text format); `undefined`: not served. */
  readonly metrics: { readonly host: string; readonly port: number } | undefined
  /** The secret DPoP nonces derive from (RFC 9449 §8, §9); `undefined`: no nonces. */
  readonly dpopNonceSecret: string | undefined
}

/** The Prometheus exporter's registered port, used by `--metrics` without `OTEL_EXPORTER_PROMETHEUS_PORT`. */
export const DEFAULT_METRICS_PORT = 9464

const nonEmpty = (name: string) => v.optional(v.pipe(v.string(), v.nonEmpty(`${name} must not be empty`)))

const port = (name: string) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,5}$/, `${name} must be a port number`),
    v.transform(Number),
    v.minValue(1, `${name} must be from 1 to 65535`),
    v.maxValue(65535, `${name} must be from 1 to 65535`),
  )

const EnvSchema = v.object({
  PORT: v.optional(port('PORT'), '3000'),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty('HOST must not be empty')), '127.0.0.1'),
  COVET_ALGORITHM: v.optional(
    v.picklist(DEMO_ALGORITHMS, `COVET_ALGORITHM must be one of ${DEMO_ALGORITHMS.join(', ')}`),
    'RS256',
  ),
  COVET_ISSUER: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (value) => /^https?:\/\/[^?#]+$/.test(value) && URL.canParse(value),
        'COVET_ISSUER must be an http(s) URL without query or fragment (RFC 8414 §2)',
      ),
    ),
  ),
  COVET_AUDIENCE: v.optional(
    v.pipe(v.string(), v.nonEmpty('COVET_AUDIENCE must not be empty')),
    'covet-demo',
  ),
  REDIS_URL: nonEmpty('REDIS_URL'),
  COVET_DPOP_NONCE_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(32, 'COVET_DPOP_NONCE_SECRET must be at least 32 characters')),
  ),
  COVET_REDIS_PREFIX: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\w:.-]{1,64}$/, 'COVET_REDIS_PREFIX must be 1 to 64 letters, digits, ":", ".", "-" or "_"'),
    ),
    'covet-demo:',
  ),
  // The OpenTelemetry Prometheus exporter's own variables.
  OTEL_EXPORTER_PROMETHEUS_PORT: v.optional(port('OTEL_EXPORTER_PROMETHEUS_PORT')),
  OTEL_EXPORTER_PROMETHEUS_HOST: nonEmpty('OTEL_EXPORTER_PROMETHEUS_HOST'),
})

/**
 * Reads `PORT`, `HOST`, `COVET_ALGORITHM`, `COVET_ISSUER`, `COVET_AUDIENCE`, `REDIS_URL` (and
 * `COVET_REDIS_PREFIX`), `COVET_DPOP_NONCE_SECRET`, `OTEL_EXPORTER_PROMETHEUS_PORT` and
 * `OTEL_EXPORTER_PROMETHEUS_HOST`.
 * Empty variables count as unset. A bad value throws `ConfigError` naming the variable; keys are
 * read separately (`loadKeysFromEnv`). `metrics` (the `--metrics` flag) serves `/metrics` on the
 * default port when `OTEL_EXPORTER_PROMETHEUS_PORT` does not name one.
 */
export function readConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: { metrics?: boolean } = {},
): DemoConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  )
  const result = v.safeParse(EnvSchema, present)
  if (!result.success) {
    const issue = result.issues[0]
    const name = String(issue.path?.[0]?.key ?? 'environment')
    throw new ConfigError(name, issue.message.replace(new RegExp(`^${name} `), ''))
  }
  const c = result.output
  const metricsPort =
    (c.OTEL_EXPORTER_PROMETHEUS_PORT as number | undefined) ??
    (options.metrics ? DEFAULT_METRICS_PORT : undefined)
  // Metrics say how auth is used (clients, failures): never on the port the public reaches.
  if (metricsPort !== undefined && metricsPort === c.PORT) {
    throw new ConfigError(
      'OTEL_EXPORTER_PROMETHEUS_PORT',
      'must differ from PORT: /metrics is never served on the public port',
    )
  }
  return {
    port: c.PORT as number,
    host: c.HOST,
    algorithm: c.COVET_ALGORITHM,
    issuer: c.COVET_ISSUER,
    audience: c.COVET_AUDIENCE,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.COVET_REDIS_PREFIX,
    metrics:
      metricsPort === undefined
        ? undefined
        : { host: c.OTEL_EXPORTER_PROMETHEUS_HOST ?? c.HOST, port: metricsPort },
    dpopNonceSecret: c.COVET_DPOP_NONCE_SECRET,
  }
}
