import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Server, startServer } from './support/consumer.js'
import { SECRET, signToken } from './support/token.js'

const appDir = inject('appDir')
const { node20, node24, bun, deno } = inject('binaries')
const token = signToken(appDir)

const RUNTIMES: [string, string[]][] = [
  ['Node 20', [node20, 'node-server.mjs']],
  ['Node 24', [node24, 'node-server.mjs']],
  ['Bun', [bun, 'run', 'bun-server.mjs']],
  ['Deno', [deno, 'run', '--allow-net', '--allow-env', 'deno-server.mjs']],
]

describe.each(RUNTIMES)('the installed tarballs on %s', (_name, argv) => {
  let server: Server
  beforeAll(async () => {
    server = await startServer(argv, appDir, { COVET_SECRET: SECRET })
  })
  afterAll(() => server?.stop())

  it('answer 401 with a bare Bearer challenge to a request without a token', async () => {
    const res = await fetch(`${server.url}/me`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="consumer", DPoP realm="consumer", algs="ES256 ES384 ES512 EdDSA PS256 PS384 PS512 RS256 RS384 RS512"',
    )
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Authentication is required',
      code: 'ERR_CREDENTIALS_MISSING',
    })
  })

  it('answer 200 with the subject to a reader presenting a token the covet command signed', async () => {
    const res = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ subject: 'alice' })
  })
})
