import { createJwtAuth, type JwtAuth } from '@covet/core'
import { createClientRegistry } from '../clients/registry.js'
import type { ClientConfig } from '../clients/types.js'
import type { VerifyUser } from '../grants/types.js'

export const ISSUER = 'https://auth.example.test'
export const START = Date.UTC(2026, 0, 1, 12, 0, 0)

/** A frozen clock the tests move by hand (milliseconds). */
export function frozenClock(at = START) {
  let now = at
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000
    },
  }
}

export function makeAuth(clock = frozenClock()): Promise<JwtAuth<object>> {
  return createJwtAuth({
    algorithm: 'HS256',
    keys: 'a-test-secret-of-at-least-thirty-two-bytes!!',
    issuer: ISSUER,
    audience: 'covet-api',
    accessTokenTtl: '15m',
    refreshTokenTtl: '1d',
    clock: clock.now,
    warn: () => {},
  })
}

export const SECRETS = {
  web: 'web-secret-0123456789',
  batch: 'batch-secret-0123456789',
  other: 'other-secret-0123456789',
  odd: 'some secure & non-standard secret',
  rs: 'resource-server-secret',
} as const

export const CLIENTS: readonly ClientConfig[] = [
  {
    clientId: 'web',
    secret: SECRETS.web,
    grantTypes: ['password', 'refresh_token'],
    scopes: ['read', 'write'],
  },
  {
    clientId: 'batch',
    secret: SECRETS.batch,
    grantTypes: ['client_credentials'],
    scopes: ['reports'],
    roles: ['service'],
  },
  {
    clientId: 'other',
    secret: SECRETS.other,
    grantTypes: ['password', 'refresh_token', 'client_credentials'],
    scopes: ['read'],
  },
  { clientId: 'an:identifier', secret: SECRETS.odd, grantTypes: ['client_credentials'], scopes: ['read'] },
  { clientId: 'rs', secret: SECRETS.rs, grantTypes: ['client_credentials'], introspectAny: true },
]

/** Fewer PBKDF2 iterations than production keeps the suite fast; the algorithm is the same. */
export function makeClients(clients: readonly ClientConfig[] = CLIENTS) {
  return createClientRegistry(clients, { iterations: 1_000 })
}

export const USERS: Record<string, { password: string; roles: string[] }> = {
  alice: { password: 'correct horse battery staple', roles: ['admin'] },
  bob: { password: 'hunter2-but-longer', roles: ['user'] },
}

export const verifyUser: VerifyUser = async (username, password) => {
  const user = USERS[username]
  return user !== undefined && user.password === password ? { subject: username, roles: user.roles } : null
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined and base64-encoded. */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2)
  return `Basic ${btoa(`${encode(clientId)}:${encode(secret)}`)}`
}

export interface PostOptions {
  basic?: readonly [string, string]
  headers?: Record<string, string>
  method?: string
  url?: string
}

/** A form POST as a client would send it. */
export function post(body: Record<string, string> | string, options: PostOptions = {}): Request {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
    ...(options.basic ? { authorization: basic(...options.basic) } : {}),
    ...options.headers,
  }
  const method = options.method ?? 'POST'
  return new Request(options.url ?? `${ISSUER}/oauth/token`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD'
      ? {}
      : { body: typeof body === 'string' ? body : new URLSearchParams(body).toString() }),
  })
}

/** Status, the headers a test cares about, and the parsed body. */
export async function read(response: Response) {
  const text = await response.text()
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  }
}
