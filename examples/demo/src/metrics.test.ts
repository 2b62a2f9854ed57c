import { createServer } from 'node:net'
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from './config.js'
import { type RunningDemo, startDemo } from './demo.js'
import { bearer, DEMO_APP, login, tokenRequest } from './test-support/http.js'
import { freePort } from './test-support/process.js'

// The demo with OTEL_EXPORTER_PROMETHEUS_PORT: /metrics in the Prometheus text format, on its own port.

let demo: RunningDemo
let metricsUrl: string
let startup = ''

beforeAll(async () => {
  const [port, metricsPort] = [await freePort(), await freePort()]
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`
  demo = await startDemo({
    env: { PORT: String(port), OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) },
    log: (text) => {
      startup += text
    },
    warn: () => {},
  })
})
afterAll(async () => {
  await demo?.close()
})

/** Scrapes /metrics and parses it as the Prometheus text format. */
async function scrape(): Promise<Family[]> {
  const response = await fetch(metricsUrl)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
  return parsePrometheusTextFormat(await response.text())
}

/** The value of the sample of `name` whose labels include `labels`; 0 when there is none yet. */
function sample(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((candidate) => candidate.name === name)
  const matching = (family?.metrics ?? []).filter((metric) =>
    Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value),
  )
  return matching.reduce((sum, metric) => sum + Number(metric.value), 0)
}

describe('the demo with OTEL_EXPORTER_PROMETHEUS_PORT', () => {
  it('names the metrics URL in its start-up text', () => {
    expect(startup).toContain(`metrics (Prometheus text format) on ${metricsUrl}`)
  })

  it('serves metrics a Prometheus text parser reads, with their types', async () => {
    await login(demo.url, 'carol')
    const families = await scrape()
    const types = Object.fromEntries(families.map((family) => [family.name, family.type]))
    expect(types).toMatchObject({
      covet_tokens_issued_total: 'COUNTER',
      covet_oauth2_token_requests_total: 'COUNTER',
      covet_oauth2_token_duration: 'HISTOGRAM',
      covet_cache_size: 'GAUGE',
    })
  })

  it('moves each counter of the README’s three curl lines: a login, a wrong password, GET /me', async () => {
    const issued = {
      covet_token_type: 'access',
      covet_oauth2_grant_type: 'password',
      covet_client_id: 'demo-app',
    }
    const before = await scrape()

    const { access_token } = await login(demo.url, 'alice')
    const after = await scrape()
    expect(sample(after, 'covet_tokens_issued_total', issued)).toBe(
      sample(before, 'covet_tokens_issued_total', issued) + 1,
    )

    const wrong = await tokenRequest(demo.url, DEMO_APP, {
      grant_type: 'password',
      username: 'alice',
      password: 'not-her-password',
    })
    expect(wrong.status).toBe(400)
    const failed = await scrape()
    const client = { covet_client_id: 'demo-app' }
    expect(sample(failed, 'covet_oauth2_login_failures_total', client)).toBe(
      sample(after, 'covet_oauth2_login_failures_total', client) + 1,
    )

    expect((await bearer(`${demo.url}/me`, access_token)).status).toBe(200)
    const verified = await scrape()
    const success = { covet_outcome: 'success' }
    expect(sample(verified, 'covet_verifications_total', success)).toBe(
      sample(failed, 'covet_verifications_total', success) + 1,
    )
  })

  it('never serves /metrics on the public port', async () => {
    const { access_token } = await login(demo.url, 'bob')
    const response = await bearer(`${demo.url}/metrics`, access_token)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('covet_')
  })

  it('holds neither a username nor a password nor a token in what it serves', async () => {
    const { access_token, refresh_token } = await login(demo.url, 'alice')
    const text = await (await fetch(metricsUrl)).text()
    for (const secret of [
      'alice',
      'bob',
      'carol',
      'alice-password',
      'not-her-password',
      'demo-app-secret',
      access_token,
      refresh_token,
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})

describe('the demo’s metrics settings', () => {
  it('serves /metrics on 9464 with --metrics alone, on the demo’s host', () => {
    expect(readConfig({}, { metrics: true }).metrics).toEqual({ host: '127.0.0.1', port: 9464 })
    expect(
      readConfig({ OTEL_EXPORTER_PROMETHEUS_PORT: '9100', OTEL_EXPORTER_PROMETHEUS_HOST: '::1' }).metrics,
    ).toEqual({
      host: '::1',
      port: 9100,
    })
    expect(readConfig({}).metrics).toBeUndefined()
  })

  it('refuses the public port for metrics, naming the variable', () => {
    expect(() => readConfig({ PORT: '3000', OTEL_EXPORTER_PROMETHEUS_PORT: '3000' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG',
        message:
          'OTEL_EXPORTER_PROMETHEUS_PORT: must differ from PORT: /metrics is never served on the public port',
      }),
    )
    expect(() => readConfig({ OTEL_EXPORTER_PROMETHEUS_PORT: 'x' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', field: 'OTEL_EXPORTER_PROMETHEUS_PORT' }),
    )
  })

  it('refuses a metrics port something already listens on, and leaves nothing running', async () => {
    const taken = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => taken.once('listening', resolve))
    const { port } = taken.address() as { port: number }
    const publicPort = await freePort()
    try {
      await expect(
        startDemo({
          env: { PORT: String(publicPort), OTEL_EXPORTER_PROMETHEUS_PORT: String(port) },
          log: () => {},
          warn: () => {},
        }),
      ).rejects.toMatchObject({
        code: 'ERR_CONFIG',
        message: `OTEL_EXPORTER_PROMETHEUS_PORT: cannot listen on 127.0.0.1:${port}`,
      })
      await expect(fetch(`http://127.0.0.1:${publicPort}/health`)).rejects.toThrow()
    } finally {
      taken.close()
    }
  })
})
