import type { ClientConfig, VerifyUser } from '@covet/oauth2'
import { hashClientSecret, verifyClientSecret } from '@covet/oauth2'

/** A demo user as written in the README; the password is hashed at start-up and then forgotten. */
interface UserSeed {
  readonly username: string
  readonly password: string
  readonly roles: readonly string[]
}

const USERS: readonly UserSeed[] = [
  { username: 'alice', password: 'alice-password', roles: ['admin'] },
  { username: 'bob', password: 'bob-password', roles: ['user'] },
  { username: 'carol', password: 'carol-password', roles: ['moderator'] },
]

/** The two clients of the contract; their secrets are hashed by the client registry at start-up. */
export const CLIENTS: readonly ClientConfig[] = [
  {
    clientId: 'demo-app',
    secret: 'demo-app-secret',
    grantTypes: ['password', 'refresh_token'],
    scopes: ['openid', 'profile', 'posts:read', 'posts:write'],
    defaultScopes: ['posts:read'],
  },
  {
    clientId: 'reporting-service',
    secret: 'reporting-service-secret',
    grantTypes: ['client_credentials'],
    scopes: ['reports:read'],
    defaultScopes: ['reports:read'],
  },
]

/** Every scope a client may request. */
export const SCOPES = [...new Set(CLIENTS.flatMap((client) => client.scopes ?? []))]

/** The users (name and roles, never a password or hash), for `GET /admin/users`. */
export const USER_LIST = USERS.map(({ username, roles }) => ({ username, roles: [...roles] }))

/**
 * Hashes the demo passwords (PBKDF2-SHA-256, as client secrets) and returns the password check for
 * the token endpoint. An unknown username is checked against a decoy hash, so it takes as long as
 * a wrong password and gets the same answer (RFC 6749 §5.2 `invalid_grant`).
 */
export async function createUserStore(): Promise<VerifyUser> {
  const hashed = new Map(
    await Promise.all(
      USERS.map(
        async (user) =>
          [user.username, { roles: user.roles, hash: await hashClientSecret(user.password) }] as const,
      ),
    ),
  )
  const decoy = await hashClientSecret(crypto.randomUUID())
  return async function verifyUser(username, password) {
    const user = hashed.get(username)
    const ok = await verifyClientSecret(password, user?.hash ?? decoy)
    if (!ok || user === undefined) return null
    return { subject: username, roles: user.roles }
  }
}
