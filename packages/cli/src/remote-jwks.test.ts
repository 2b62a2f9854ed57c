import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { covet } from './test-support/covet.js'

let dir: string
let token: string
const servers: Server[] = []

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler)
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covet-cli-jwks-'))
  const key = join(dir, 'signing.pem')
  await covet(['keys', 'generate', '--alg', 'ES256', '--out', key])
  token = (await covet(['token', 'sign', '--sub', 'alice', '--audience', 'api', '--key', key])).stdout.trim()
})
afterAll(async () => {
  for (const server of servers) server.close()
  await rm(dir, { recursive: true, force: true })
})

const verify = (url: string) => covet(['token', 'verify', token, '--jwks', url, '--audience', 'api'])

describe('covet token verify --jwks <url> when the key set cannot be had', () => {
  it('names the URL and the refused connection', async () => {
    const port = await closedPort()
    const url = `http://127.0.0.1:${port}/.well-known/jwks.json`
    expect(await verify(url)).toEqual({
      code: 1,
      stdout: 'ERR_KEYSET_UNAVAILABLE\n',
      stderr: `covet: ERR_KEYSET_UNAVAILABLE: the key set at ${url} is unavailable: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    })
  })

  it('names the URL and the HTTP status of an answer that is not the set', async () => {
    const port = await listen((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance')
    })
    const url = `http://127.0.0.1:${port}/jwks`
    expect(await verify(url)).toEqual({
      code: 1,
      stdout: 'ERR_KEYSET_UNAVAILABLE\n',
      stderr: `covet: ERR_KEYSET_UNAVAILABLE: the key set is unavailable: ${url} answered HTTP 503\n`,
    })
  })

  it('names the URL and says the answer is not a JWK Set', async () => {
    const port = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"none"}')
    })
    const url = `http://127.0.0.1:${port}/jwks`
    expect(await verify(url)).toEqual({
      code: 1,
      stdout: 'ERR_KEYSET_UNAVAILABLE\n',
      stderr: `covet: ERR_KEYSET_UNAVAILABLE: the key set is unavailable: ${url} is not a JWK Set\n`,
    })
  })

  it('leaves the query out of the URL it names', async () => {
    const port = await closedPort()
    const result = await verify(`http://127.0.0.1:${port}/jwks?api_key=s3cret`)
    expect(result.stderr).toBe(
      `covet: ERR_KEYSET_UNAVAILABLE: the key set at http://127.0.0.1:${port}/jwks is unavailable: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    )
  })

  it('refuses a URL that holds credentials before fetching, without repeating them', async () => {
    const port = await closedPort()
    const result = await verify(`http://user:hunter2@127.0.0.1:${port}/jwks`)
    expect(result.stderr).toBe('covet: ERR_CONFIG: jwksUri: must be an http(s) URL without credentials\n')
    expect(result.stderr).not.toContain('hunter2')
  })
})
