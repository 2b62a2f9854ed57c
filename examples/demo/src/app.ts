import { type AttemptLimiter, getAuth, type JwtAuth, withJwtAuth } from '@covet/core'
import {
  createAuthorizationEndpoint,
  createClientRegistry,
  createIntrospectionEndpoint,
  createMetadataEndpoint,
  createRevocationEndpoint,
  createTokenEndpoint,
  jwksHandler,
} from '@covet/oauth2'
import { instrument } from '@covet/otel'
import { requirePermissions, requireRoles, requireScopes } from '@covet/rbac'
import type { MeterProvider } from '@opentelemetry/api'
import { createUserStore, demoClients, SCOPE_DESCRIPTIONS, SCOPES, USER_LIST } from './accounts.js'
import { logout } from './logout.js'
import { createPolicy } from './policy.js'
import { json, methodNotAllowed, problem } from './responses.js'
import { spaResponse } from './spa/routes.js'

/** The realm of every challenge the demo sends, Bearer and Basic. */
export const REALM = 'covet-demo'

export interface AppOptions {
  auth: JwtAuth<object>
  /** Public base URL of the endpoints in the RFC 8414 metadata (the issuer). */
  issuer: string
  /** Login attempts per username (10 per 15 minutes); in memory when omitted. */
  limiter?: AttemptLimiter
  /** Login attempts per client (1,000 per 15 minutes); in memory when omitted. */
  clientLimiter?: AttemptLimiter
  /** Where a request comes from (the peer address): login attempts are also counted per source. */
  sourceKey?: (request: Request) => string | undefined
  /** Login attempts per source (100 per 15 minutes), with `sourceKey`; in memory when omitted. */
  sourceLimiter?: AttemptLimiter
  /** Where `@covet/otel` records the engine's and the token endpoint's metrics; none when omitted. */
  meterProvider?: MeterProvider
  /**
   * With it, the token endpoint and the resources hand out and require DPoP nonces (RFC 9449 §8,
   * §9), the same on every server given the same secret.
   */
  dpopNonceSecret?: string
}

type Route = (request: Request, params: string[]) => Response | Promise<Response>

/**
 * The demo's one Fetch handler: OAuth 2 endpoints, the JWK Set and metadata, and routes guarded
 * by bearer tokens, roles, permissions (through the role hierarchy) and scopes.
 */
export async function createApp(
  options: AppOptions,
): Promise<(request: Request) => Response | Promise<Response>> {
  const { auth, issuer } = options
  const rbac = createPolicy()
  const clientList = demoClients(issuer)
  const clients = createClientRegistry(clientList)
  const endpoint = (path: string) => new URL(path, issuer).href
  const verifyUser = await createUserStore()
  // One set of failed-login limiters for the password grant and the login page.
  const limits = {
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.clientLimiter ? { clientLimiter: options.clientLimiter } : {}),
    ...(options.sourceKey ? { sourceKey: options.sourceKey } : {}),
    ...(options.sourceLimiter ? { sourceLimiter: options.sourceLimiter } : {}),
  }

  // RFC 9449: DPoP allowed — a proof at /oauth/token binds the tokens, which then need proofs.
  const dpop = options.dpopNonceSecret === undefined ? {} : { nonce: { secret: options.dpopNonceSecret } }
  const token = createTokenEndpoint({
    auth,
    clients,
    verifyUser,
    scopes: SCOPES,
    realm: REALM,
    dpop,
    ...limits,
  })
  const authorize = createAuthorizationEndpoint({
    auth,
    clients,
    verifyUser,
    issuer,
    scopeDescriptions: SCOPE_DESCRIPTIONS,
    ...limits,
  })
  if (options.meterProvider) instrument([auth, token], { meterProvider: options.meterProvider })
  const revoke = createRevocationEndpoint({ auth, clients, realm: REALM })
  const introspect = createIntrospectionEndpoint({ auth, clients, realm: REALM })
  const jwks = jwksHandler(auth)
  const metadata = createMetadataEndpoint({
    issuer,
    authorizationEndpoint: endpoint('/oauth/authorize'),
    tokenEndpoint: endpoint('/oauth/token'),
    revocationEndpoint: endpoint('/oauth/revoke'),
    introspectionEndpoint: endpoint('/oauth/introspect'),
    ...(auth.jwks().keys.length > 0 ? { jwksUri: endpoint('/.well-known/jwks.json') } : {}),
    clients: clientList,
    scopes: SCOPES,
  })

  const me: Route = (request) => {
    const who = getAuth(request)!
    const permissions = new Set([
      ...who.permissions,
      ...who.roles.flatMap((role) => rbac.getPermissions(role)),
    ])
    return json({
      sub: who.subject,
      roles: who.roles,
      permissions: [...permissions].sort(),
      scope: who.scopes.join(' '),
    })
  }
  const publicPosts: Route = (request) => {
    const who = getAuth(request)
    return json(who ? { authenticated: true, sub: who.subject } : { authenticated: false })
  }
  const adminUsers = requireRoles('admin')((() => json({ users: USER_LIST })) as Route)
  const deletePost = requirePermissions(['posts:delete'], { rbac })(((_request: Request, params: string[]) =>
    json({ deleted: params[0] })) as Route)
  const reports = requireScopes('reports:read')((() =>
    json({
      reports: [
        { id: 'daily-signups', value: 42 },
        { id: 'active-sessions', value: 7 },
      ],
    })) as Route)

  // method → path pattern → handler; `:id` segments become params.
  const routes: [string, RegExp, Route][] = [
    ['GET', /^\/health$/, () => json({ status: 'ok' })],
    [
      'GET',
      /^\/app(?:\/.*)?$/,
      (request) => spaResponse(new URL(request.url).pathname) ?? problem(404, 'No such route'),
    ],
    ['GET', /^\/oauth\/authorize$/, authorize],
    ['POST', /^\/oauth\/authorize$/, authorize],
    ['POST', /^\/oauth\/token$/, token],
    ['POST', /^\/oauth\/revoke$/, revoke],
    ['POST', /^\/oauth\/introspect$/, introspect],
    ['GET', /^\/\.well-known\/jwks\.json$/, jwks],
    ['GET', /^\/\.well-known\/oauth-authorization-server$/, metadata],
    ['GET', /^\/me$/, me],
    ['GET', /^\/public\/posts$/, publicPosts],
    ['GET', /^\/admin\/users$/, adminUsers],
    ['DELETE', /^\/posts\/([^/]+)$/, deletePost],
    ['GET', /^\/reports$/, reports],
    ['POST', /^\/logout$/, (request) => logout(request, getAuth(request)!, auth)],
  ]

  async function router(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname
    const allowed: string[] = []
    for (const [method, pattern, route] of routes) {
      const match = pattern.exec(path)
      if (match === null) continue
      if (request.method === method || (method === 'GET' && request.method === 'HEAD')) {
        const params = decodeParams(match.slice(1))
        return params ? route(request, params) : problem(400, 'The path is not validly percent-encoded')
      }
      allowed.push(method)
    }
    if (allowed.length > 0) return methodNotAllowed(allowed.join(', '))
    return problem(404, 'No such route')
  }

  return withJwtAuth(router, {
    auth,
    exemptPaths: ['/health', '/oauth/*', '/.well-known/*', '/app/*'],
    optionalPaths: ['/public/*'],
    realm: REALM,
    dpop: { mode: 'allowed', ...dpop },
  })
}

function decodeParams(raw: string[]): string[] | undefined {
  try {
    return raw.map(decodeURIComponent)
  } catch {
    return undefined
  }
}
