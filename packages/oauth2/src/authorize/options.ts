import { ConfigError, type Duration, type JwtAuth } from '@covet/core'
import { parseOptions, seconds } from '@covet/core/options'
import * as v from 'valibot'
import type { ClientConfig, ClientRegistry } from '../clients/types.js'
import {
  AuthSchema,
  ClientsSchema,
  LimiterSchema,
  RENAMED,
  ReportErrorSchema,
  toRegistry,
} from '../endpoints/options.js'
import type { LoginLimitOptions } from '../grants/limits.js'
import type { VerifyUser } from '../grants/types.js'
import { MAX_CODE_TTL } from './codes.js'
import type { ConsentPage, LoginPage } from './pages.js'

/** A host's own page: HTML (sent with Covet's headers) or a whole Response (headers added if missing). */
export type RenderPage<Page> = (page: Page) => string | Response | Promise<string | Response>

export interface AuthorizationEndpointOptions extends LoginLimitOptions {
  auth: JwtAuth<object>
  /** The clients, or the registry the token endpoint uses (it must implement `find`). */
  clients: ClientRegistry | readonly ClientConfig[]
  /** The same user check the password grant uses. */
  verifyUser: VerifyUser
  /** The issuer identifier sent as `iss` (RFC 9207); an http(s) URL. Default `auth.issuer`. */
  issuer?: string
  /** Words for each scope on the consent page (`{ 'posts:read': 'Read your posts' }`); default the scope itself. */
  scopeDescriptions?: Readonly<Record<string, string>>
  /** Your own login page; it must post `fields`, `username` and `password` back. */
  renderLogin?: RenderPage<LoginPage>
  /** Your own consent page; it must post `fields` and `decision` back. */
  renderConsent?: RenderPage<ConsentPage>
  /**
   * Signs session cookies and CSRF tokens: at least 32 bytes, the same on every server of a fleet.
   * Default: a random key per process (sessions then end with it).
   */
  cookieSecret?: string | Uint8Array
  /** Authorization code lifetime, at most 60 s. Default 60 s. */
  codeTtl?: Duration
  /** How long a login session lasts. Default 8 hours. */
  sessionTtl?: Duration
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number
  /** Told of unexpected failures (answered with a generic error page or `server_error`); it only observes. */
  reportError?: (error: unknown) => void
}

const fn = <T>() => v.custom<T>((value) => typeof value === 'function', 'must be a function')

const Schema = v.object({
  auth: AuthSchema,
  clients: ClientsSchema,
  verifyUser: fn<VerifyUser>(),
  issuer: v.optional(v.string()),
  scopeDescriptions: v.optional(v.record(v.string(), v.string())),
  renderLogin: v.optional(fn<RenderPage<LoginPage>>()),
  renderConsent: v.optional(fn<RenderPage<ConsentPage>>()),
  cookieSecret: v.optional(v.union([v.string(), v.instance(Uint8Array)])),
  codeTtl: v.optional(seconds({ min: '1s', max: MAX_CODE_TTL }), MAX_CODE_TTL),
  sessionTtl: v.optional(seconds({ min: '1s', max: '30d' }), '8h'),
  clock: v.optional(fn<() => number>(), () => Date.now),
  reportError: v.optional(ReportErrorSchema),
  limiter: v.optional(LimiterSchema),
  clientLimiter: v.optional(LimiterSchema),
  sourceKey: v.optional(fn<(request: Request) => string | undefined>()),
  sourceLimiter: v.optional(LimiterSchema),
})

export type ResolvedOptions = v.InferOutput<typeof Schema> & {
  readonly registry: ClientRegistry
  readonly issuer: string
  readonly codeTtl: number
  readonly sessionTtl: number
}

/** Checks the options once; a bad one throws `ConfigError` naming it. */
export function resolveOptions(options: AuthorizationEndpointOptions): ResolvedOptions {
  const config = parseOptions(Schema, options, { renamed: RENAMED })
  const registry = toRegistry(config.clients)
  if (typeof registry.find !== 'function') throw new ConfigError('clients', 'must implement find(clientId)')
  const issuer = config.issuer ?? config.auth.issuer
  // RFC 9207 §2: `iss` is the issuer identifier of RFC 8414 §2, an https (here also http) URL.
  if (issuer === undefined || !/^https?:\/\/[^?#]+$/.test(issuer) || !URL.canParse(issuer)) {
    throw new ConfigError('issuer', 'must be an http(s) URL without query or fragment (RFC 8414 §2)')
  }
  return {
    ...config,
    registry,
    issuer,
    codeTtl: config.codeTtl,
    sessionTtl: config.sessionTtl,
  }
}
