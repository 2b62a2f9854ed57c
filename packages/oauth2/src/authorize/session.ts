import type { VerifiedUser } from '../grants/types.js'
import { type CookieOptions, readCookie, setCookie } from './cookies.js'
import type { Records } from './records.js'
import { digest, randomToken, type Signer } from './signer.js'

/** A signed-in user, kept in the store under the SHA-256 of a random id the cookie carries. */
export interface LoginSession {
  readonly id: string
  readonly user: VerifiedUser
  /** When the user signed in, Unix seconds. */
  readonly authTime: number
  readonly expiresAt: number
  /** Scopes the user allowed, per client. */
  readonly consents: Readonly<Record<string, readonly string[]>>
}

interface StoredSession {
  readonly u: VerifiedUser
  readonly at: number
  readonly exp: number
  readonly c: Record<string, readonly string[]>
}

export const SESSION_COOKIE = 'covet_session'

/**
 * Login sessions: the cookie holds `<id>.<HMAC of id>` (`HttpOnly`, `SameSite=Lax`, `Secure`
 * except on loopback, scoped to the endpoint's path); the store holds the session under
 * `session:<SHA-256 of id>`, so neither a forged cookie nor a copy of the store signs anyone in.
 */
export class Sessions {
  readonly #records: Records
  readonly #signer: Signer
  readonly #ttl: number

  constructor(records: Records, signer: Signer, ttlSeconds: number) {
    this.#records = records
    this.#signer = signer
    this.#ttl = ttlSeconds
  }

  /** The session the request's cookie names, if it is validly signed and still in the store. */
  async read(request: Request, now: number): Promise<LoginSession | undefined> {
    const cookie = readCookie(request, SESSION_COOKIE)
    const [id, mac, extra] = cookie?.split('.') ?? []
    if (id === undefined || mac === undefined || extra !== undefined) return undefined
    if (!(await this.#signer.verify(mac, 'session', id))) return undefined
    const text = await this.#records.get(await key(id))
    if (text === undefined) return undefined
    const stored = JSON.parse(text) as StoredSession
    if (stored.exp <= now) return undefined
    return { id, user: stored.u, authTime: stored.at, expiresAt: stored.exp, consents: stored.c }
  }

  /** Starts a session for `user`; resolves it and its `Set-Cookie` value. */
  async create(
    request: Request,
    user: VerifiedUser,
    now: number,
    path: string,
  ): Promise<{ session: LoginSession; cookie: string }> {
    const session: LoginSession = {
      id: randomToken(),
      user,
      authTime: now,
      expiresAt: now + this.#ttl,
      consents: {},
    }
    await this.save(session)
    const value = `${session.id}.${await this.#signer.sign('session', session.id)}`
    const options: CookieOptions = { maxAge: this.#ttl, path, sameSite: 'Lax' }
    return { session, cookie: setCookie(request, SESSION_COOKIE, value, options) }
  }

  /** Writes the session back (with a consent added), keeping its expiry. */
  async save(session: LoginSession): Promise<void> {
    const stored: StoredSession = {
      u: session.user,
      at: session.authTime,
      exp: session.expiresAt,
      c: { ...session.consents },
    }
    await this.#records.put(await key(session.id), JSON.stringify(stored), session.expiresAt)
  }
}

async function key(id: string): Promise<string> {
  return `session:${await digest(id)}`
}
