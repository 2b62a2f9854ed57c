import { serve } from '@covet/adapters/node'
import { ConfigError, createJwtAuth, type JwtAuth, type RevocationStore } from '@covet/core'
import { KEY_ENV_VARIABLES, loadKeysFromEnv } from '@covet/core/env'
import { instrument } from '@covet/otel'
import { createRedisStore, type RedisStore } from '@covet/redis'
import { createApp } from './app.js'
import { readConfig } from './config.js'
import { type MetricsServer, startMetrics } from './metrics.js'
import { walkthrough } from './walkthrough.js'

export { DEMO_ALGORITHMS, type DemoConfig, readConfig } from './config.js'

export interface StartDemoOptions {
  /** Where the settings are read (`process.env` in the server). */
  env: Readonly<Record<string, string | undefined>>
  /** Where the URL and walkthrough go. Default `console.log`. */
  log?: (text: string) => void
  /** Where warnings go (a generated key). Default `console.warn`. */
  warn?: (text: string) => void
  /** Serve `/metrics` (the `--metrics` flag), on `OTEL_EXPORTER_PROMETHEUS_PORT` or 9464. */
  metrics?: boolean
}

export interface RunningDemo {
  readonly url: string
  readonly auth: JwtAuth<object>
  close(): Promise<void>
}

/**
 * Starts the demo: keys from `COVET_SECRET` / `COVET_PRIVATE_KEY_FILE` (generated, with a warning,
 * when neither is set), the Redis store when `REDIS_URL` is set, then the HTTP server.
 * Rejects with a `ConfigError` naming the variable at fault (a weak key, a bad value); the message
 * never holds the key.
 */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const { env } = options
  const log = options.log ?? ((text) => console.log(text))
  const warn = options.warn ?? ((text) => console.warn(`[covet-demo] ${text}`))
  const config = readConfig(env, { metrics: options.metrics ?? false })
  const keys = await loadKeysFromEnv({ env })
  const keySource = KEY_ENV_VARIABLES.find((name) => env[name])
  let store: RedisStore | undefined
  let metrics: MetricsServer | undefined
  if (config.redisUrl !== undefined) {
    store = await withVariable('REDIS_URL', () =>
      createRedisStore({ url: config.redisUrl!, prefix: config.redisPrefix, warn }),
    )
  }
  try {
    if (config.metrics !== undefined) {
      metrics = await startMetrics(config.metrics)
      if (store) instrument(store, { meterProvider: metrics.meterProvider })
    }
    const issuer =
      config.issuer ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`
    const auth = await withVariable(keySource ?? 'COVET_ALGORITHM', () =>
      createJwtAuth({
        algorithm: config.algorithm,
        ...(keys === undefined ? {} : { keys }),
        issuer,
        audience: config.audience,
        accessTokenTtl: '15m',
        refreshTokenTtl: '30d',
        clockTolerance: '5s',
        ...(store ? { revocation: store as RevocationStore } : {}),
        warn,
      }),
    )
    // Login attempts are limited per username, per client and per peer address (the demo has no
    // proxy in front of it), shared through Redis when there is one. See docs/security.md.
    const peers = new WeakMap<Request, string>()
    const handler = await createApp({
      auth,
      issuer,
      sourceKey: (request) => peers.get(request),
      ...(store
        ? {
            limiter: store.limiter({ limit: 10, window: '15m', name: 'username' }),
            clientLimiter: store.limiter({ limit: 1000, window: '15m', name: 'client' }),
            sourceLimiter: store.limiter({ limit: 100, window: '15m', name: 'source' }),
          }
        : {}),
      ...(metrics ? { meterProvider: metrics.meterProvider } : {}),
      ...(config.dpopNonceSecret === undefined ? {} : { dpopNonceSecret: config.dpopNonceSecret }),
    })
    const server = await serve(
      (request, context) => {
        const peer = context.req.socket.remoteAddress
        if (peer !== undefined) peers.set(request, peer)
        return handler(request)
      },
      { port: config.port, hostname: config.host },
    )
    const notes = [
      `issuer ${issuer}, audience ${config.audience}, ${config.algorithm}`,
      keySource ? `key from ${keySource}` : 'key generated at start-up: tokens will not survive a restart',
      store ? `revocations in Redis (prefix ${config.redisPrefix})` : 'revocations in memory',
      `DPoP allowed${config.dpopNonceSecret === undefined ? '' : ', with nonces'}`,
      ...(metrics ? [`metrics (Prometheus text format) on ${metrics.url}`] : []),
    ]
    log(walkthrough(server.url, notes))
    return {
      url: server.url,
      auth,
      async close() {
        await server.close()
        await metrics?.close()
        await store?.close()
      },
    }
  } catch (error) {
    await metrics?.close()
    await store?.close()
    throw error
  }
}

/** Runs `create`, naming `variable` in a configuration error (core names its own option). */
async function withVariable<T>(variable: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create()
  } catch (error) {
    if (error instanceof ConfigError && !error.field.startsWith(variable)) {
      const message = error.message.replace(/^keys(?:\.\w+)?: /, '')
      throw new ConfigError(variable, message, { cause: error })
    }
    throw error
  }
}
