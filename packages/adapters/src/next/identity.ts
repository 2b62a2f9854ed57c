import type { VerifiedToken } from '@covet/core'
import { ConfigError } from '@covet/core'
import { base64url } from 'jose'

/** The identity the proxy forwards to route handlers: the verified token without the token itself. */
export type ProxyIdentity<Claims extends object = Record<never, never>> = Omit<VerifiedToken<Claims>, 'token'>

/** How the proxy and route handlers agree on the forwarded identity. */
export interface IdentityOptions {
  /** Request header carrying the identity. Default `x-covet-identity`. */
  header?: string
  /**
   * HMAC secret (≥ 32 characters) shared by the proxy and route handlers. Default: a random key per
   * process, enough for `next start`; set one when proxy and routes may run in different processes.
   */
  secret?: string
}

export const DEFAULT_HEADER = 'x-covet-identity'
/** A forwarded identity older than this is refused (it only ever travels inside one request). */
const MAX_AGE_MS = 30_000
const encoder = new TextEncoder()
// Shared through globalThis: Next bundles proxy.ts and each route separately, in one process.
const KEY_SLOT = Symbol.for('@covet/adapters/next:identity-key')

/** Throws `ConfigError` for a secret too short to key HMAC-SHA256 safely. */
export function checkSecret(secret: string | undefined): void {
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 32)) {
    throw new ConfigError('secret', 'must be a string of at least 32 characters')
  }
}

function keyFor(secret: string | undefined): Promise<CryptoKey> {
  checkSecret(secret)
  const store = globalThis as { [KEY_SLOT]?: Map<string, Promise<CryptoKey>> }
  store[KEY_SLOT] ??= new Map()
  const keys = store[KEY_SLOT]
  const slot = secret ?? ''
  let key = keys.get(slot)
  if (key === undefined) {
    const raw = secret === undefined ? crypto.getRandomValues(new Uint8Array(32)) : encoder.encode(secret)
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    keys.set(slot, key)
  }
  return key
}

/** `payload.mac`, both base64url: the identity plus when it was sealed, signed with HMAC-SHA256. */
export async function sealIdentity(identity: ProxyIdentity<object>, secret?: string): Promise<string> {
  const payload = base64url.encode(JSON.stringify({ at: Date.now(), identity }))
  const mac = await crypto.subtle.sign('HMAC', await keyFor(secret), encoder.encode(payload))
  return `${payload}.${base64url.encode(new Uint8Array(mac))}`
}

/** The identity sealed in `value`, or `undefined` when it is absent, forged, stale or malformed. */
export async function openIdentity<Claims extends object>(
  value: string | null,
  secret?: string,
): Promise<ProxyIdentity<Claims> | undefined> {
  const [payload, mac, extra] = value?.split('.') ?? []
  const key = await keyFor(secret)
  if (payload === undefined || mac === undefined || extra !== undefined) return undefined
  try {
    const ok = await crypto.subtle.verify(
      'HMAC',
      key,
      new Uint8Array(base64url.decode(mac)),
      encoder.encode(payload),
    )
    if (!ok) return undefined
    const sealed = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as {
      at: number
      identity: ProxyIdentity<Claims>
    }
    const age = Date.now() - sealed.at
    return age >= 0 && age <= MAX_AGE_MS ? sealed.identity : undefined
  } catch {
    return undefined
  }
}
