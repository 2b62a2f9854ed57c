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

/** The scopes the two public clients may request. */
const USER_SCOPES = ['profile', 'posts:read', 'posts:write']

/**
 * The clients: demo-app (password grant) and reporting-service (client credentials), whose secrets
 * the client registry hashes at start-up, and two public clients of the authorization code flow
 * with PKCE: demo-native (a native app on a loopback port, RFC 8252 §7.3) and demo-spa (the
 * single-page app the demo serves at `<origin>/app/`).
 */
export function demoClients(origin: string): readonly ClientConfig[] {
  const spaRedirect = new URL('/app/callback', origin)
  // RFC 9700 §2.1: a redirect URI is https, or http on a loopback host only. Behind an http issuer
  // of another host (COVET_ISSUER=http://demo.test), demo-spa cannot be registered: /app/ then
  // shows the authorization endpoint's error page.
  const spaUsable =
    spaRedirect.protocol === 'https:' ||
    /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/.test(spaRedirect.hostname)
  return [
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
    {
      clientId: 'demo-native',
      name: 'Covet demo (native app)',
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/callback'],
      scopes: USER_SCOPES,
    },
    ...(spaUsable ? [demoSpa(spaRedirect.href)] : []),
  ]
}

function demoSpa(redirectUri: string): ClientConfig {
  return {
    clientId: 'demo-spa',
    name: 'Covet demo (single-page app)',
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    scopes: USER_SCOPES,
  }
}

/** What the consent page says each scope lets a client do. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Know who you are',
  profile: 'See your profile: your username and roles',
  'posts:read': 'Read posts',
  'posts:write': 'Write posts in your name',
  'reports:read': 'Read reports',
}

/** Every scope a client may request. */
export const SCOPES = [...new Set(demoClients('http://127.0.0.1').flatMap((client) => client.scopes ?? []))]

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
