/// <reference types="node" />
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { createJwtAuth } from '../create-jwt-auth.js'

it('refuses a jwksUri with credentials at start-up, without echoing them', async () => {
  await expect(
    createJwtAuth({
      jwksUri: 'https://user:hunter2@issuer.test/jwks.json',
      issuer: 'https://issuer.test',
      audience: 'api',
    }),
  ).rejects.toMatchObject({
    code: 'ERR_CONFIG',
    message: 'jwksUri: must be an http(s) URL without credentials',
  })
})

it('names a failing key set by origin and path only: no query reaches the warning', async () => {
  const server = createServer((_request, response) => void response.writeHead(500).end('{}'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  try {
    const warnings: string[] = []
    const issuer = await createJwtAuth({
      algorithm: 'ES256',
      issuer: 'https://issuer.test',
      audience: 'api',
      warn: () => {},
    })
    const auth = await createJwtAuth({
      algorithm: 'ES256',
      jwksUri: `http://127.0.0.1:${port}/jwks.json?api_key=s3cret`,
      issuer: 'https://issuer.test',
      audience: 'api',
      warn: (message) => warnings.push(message),
    })
    await expect(auth.verifyToken(await issuer.createToken('alice'))).rejects.toMatchObject({
      code: 'ERR_KEYSET_UNAVAILABLE',
    })
    expect(warnings).toEqual([
      `the key set of http://127.0.0.1:${port}/jwks.json could not be fetched: http://127.0.0.1:${port}/jwks.json answered HTTP 500`,
    ])
  } finally {
    server.close()
  }
})
