/// <reference types="node" />
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import { forge } from './jws.js'

type AsymmetricAlg = 'RS256' | 'ES256' | 'PS256' | 'EdDSA'

interface SigningKey {
  readonly alg: AsymmetricAlg
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
}

/** What the issuer's HTTP server answers on the next requests. */
export type ServerMode = 'serve' | 'error' | 'hang' | 'garbage'

export interface TestIssuerOptions {
  /** The issuer's path (`/realms/acme`, `/tenant/v2.0`); default none. */
  readonly path?: string
  readonly alg?: AsymmetricAlg
  /** Which metadata document the server publishes. Default `'openid'`. */
  readonly metadata?: 'openid' | 'oauth' | 'none'
  /** The `issuer` its metadata names; default the real one. */
  readonly metadataIssuer?: (issuer: string) => string
}

/**
 * A local authorization server for tests: a real HTTP server publishing metadata (OpenID Connect
 * Discovery or RFC 8414) and a JWK Set, and signing tokens shaped as a test says.
 */
export interface TestIssuer {
  readonly issuer: string
  readonly jwksUri: string
  /** The key that signs; `rotate()` puts a new one first, keeping the old one published. */
  readonly kid: string
  readonly requests: { openid: number; oauth: number; jwks: number }
  /** The `Cache-Control` header of the JWK Set response; none when `undefined`. */
  cacheControl: string | undefined
  mode: ServerMode
  /** A token signed by the current key: `header` is merged over `{ alg, kid }`. */
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>
  /** Generates a new signing key, published first; the previous ones stay published. */
  rotate(): Promise<void>
  /** Publishes only the current signing key. */
  retireOldKeys(): void
  /** Publishes another issuer's keys instead of this one's (for substitution attacks). */
  publish(keys: readonly JWK[] | undefined): void
  publicJwks(): { keys: JWK[] }
  close(): Promise<void>
}

async function newKey(alg: AsymmetricAlg): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })
  const publicJwk = await exportJWK(pair.publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  return {
    alg,
    kid,
    privateKey: pair.privateKey as CryptoKey,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
  }
}

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const alg = options.alg ?? 'RS256'
  // The issuer may end in a slash (Auth0's do); its documents live under the path without it.
  const path = (options.path ?? '').replace(/\/$/, '')
  const slash = options.path?.endsWith('/') ? '/' : ''
  let keys: SigningKey[] = [await newKey(alg)]
  let published: readonly JWK[] | undefined
  const requests = { openid: 0, oauth: 0, jwks: 0 }
  let origin = ''
  const state = { cacheControl: undefined as string | undefined, mode: 'serve' as ServerMode }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin)
    const issuer = `${origin}${path}${slash}`
    const json = (body: unknown, headers: Record<string, string> = {}) =>
      response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
    const metadata = () => ({
      issuer: options.metadataIssuer?.(issuer) ?? issuer,
      jwks_uri: `${origin}${path}/jwks.json`,
      token_endpoint: `${origin}${path}/token`,
    })
    const answer = (count: () => void, body: () => void) => {
      count()
      if (state.mode === 'hang') return
      if (state.mode === 'error') return void response.writeHead(500).end('{"error":"down"}')
      if (state.mode === 'garbage')
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html>')
      body()
    }
    if (
      url.pathname === `${path}/.well-known/openid-configuration` &&
      options.metadata !== 'oauth' &&
      options.metadata !== 'none'
    ) {
      return answer(
        () => requests.openid++,
        () => json(metadata()),
      )
    }
    if (url.pathname === `/.well-known/oauth-authorization-server${path}` && options.metadata === 'oauth') {
      return answer(
        () => requests.oauth++,
        () => json(metadata()),
      )
    }
    if (url.pathname === `${path}/jwks.json`) {
      return answer(
        () => requests.jwks++,
        () =>
          json(
            { keys: published ?? keys.map((key) => key.publicJwk) },
            state.cacheControl === undefined ? {} : { 'cache-control': state.cacheControl },
          ),
      )
    }
    if (
      url.pathname.startsWith('/.well-known/') ||
      url.pathname.endsWith('/.well-known/openid-configuration')
    ) {
      if (url.pathname.includes('oauth-authorization-server')) requests.oauth++
      else requests.openid++
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    issuer: `${origin}${path}${slash}`,
    jwksUri: `${origin}${path}/jwks.json`,
    get kid() {
      return keys[0]!.kid
    },
    requests,
    get cacheControl() {
      return state.cacheControl
    },
    set cacheControl(value) {
      state.cacheControl = value
    },
    get mode() {
      return state.mode
    },
    set mode(value) {
      state.mode = value
    },
    sign: (payload, header = {}) => {
      const key = keys[0]!
      return forge(key.privateKey, key.alg, { alg: key.alg, kid: key.kid, ...header }, payload)
    },
    rotate: async () => {
      keys = [await newKey(alg), ...keys]
    },
    retireOldKeys: () => {
      keys = [keys[0]!]
    },
    publish: (jwks) => {
      published = jwks
    },
    publicJwks: () => ({ keys: keys.map((key) => key.publicJwk) }),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
