import * as v from 'valibot'
import type { DpopOptions } from '../dpop/options.js'
import { parseOptions } from '../options.js'
import type { JwtAuth } from '../types.js'
import type { TokenSources } from './bearer.js'
import type { OnErrorHook } from './error-options.js'
import type { ProtectedResource } from './protected-resource.js'

/** Options of `withJwtAuth`. */
export interface WithJwtAuthOptions<Claims extends object = Record<never, never>> {
  /** The instance `createJwtAuth` returned: it verifies every token. */
  auth: JwtAuth<Claims>
  /** Paths that need no token, none being read: exact (`/login`) or prefix (`/docs/*`). */
  exemptPaths?: readonly string[]
  /** Paths where a token is used when present; an invalid one is still refused (401). */
  optionalPaths?: readonly string[]
  /** `realm` of the `WWW-Authenticate` challenge (RFC 6750 §3); none by default. */
  realm?: string
  /**
   * May replace any error answer (400, 401, 403, 503) with a response of its own; returning
   * `undefined` keeps Covet's. An exception it throws is not caught.
   */
  onError?: OnErrorHook
  /** Opt-in token sources besides the `Authorization` header. */
  tokenSources?: TokenSources
  /** Pass CORS preflights (`OPTIONS` with `Access-Control-Request-Method`) through untouched. */
  corsPreflight?: boolean
  /** RFC 9728 metadata: its URL for the challenge, or a `createProtectedResource` result to serve too. */
  resourceMetadata?: string | ProtectedResource
  /**
   * DPoP (RFC 9449): `'allowed'` (the default) takes bearer tokens and DPoP-bound ones with their
   * proofs; `'required'` takes DPoP only; `'off'` bearer tokens only. A DPoP-bound token is never
   * accepted as a bearer token, whatever the mode (§7.2). The object form sets the mode and how
   * proofs are checked; spent proofs are remembered in `auth.revocation`.
   */
  dpop?: DpopMode | (DpopOptions & { mode?: DpopMode })
}

/** Whether a resource takes DPoP-bound tokens (RFC 9449 §7). */
export type DpopMode = 'allowed' | 'required' | 'off'

const paths = v.optional(v.array(v.string()), [])
const MODES = ['allowed', 'required', 'off'] as const
const schema = v.object({
  auth: v.custom<JwtAuth<object>>(
    (value) => typeof (value as { verifyToken?: unknown } | null)?.verifyToken === 'function',
    'must be the object createJwtAuth returned',
  ),
  exemptPaths: paths,
  optionalPaths: paths,
  realm: v.optional(
    v.pipe(v.string(), v.regex(/^[\x20-\x7e]*$/, 'must hold printable ASCII characters only')),
  ),
  onError: v.optional(v.function()),
  tokenSources: v.optional(
    v.object({
      query: v.optional(v.boolean()),
      cookie: v.optional(
        v.pipe(
          v.string(),
          v.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a cookie name (RFC 6265 §4.1.1)'),
        ),
      ),
    }),
    {},
  ),
  corsPreflight: v.optional(v.boolean(), false),
  resourceMetadata: v.optional(
    v.union([
      v.pipe(
        v.string(),
        v.check((value) => URL.canParse(value), 'must be an absolute URL'),
      ),
      v.object({ metadataUrl: v.string(), path: v.string(), handler: v.function() }),
    ]),
  ),
  // The object's other members are checked by parseDpopOptions.
  dpop: v.optional(
    v.union([
      v.picklist(MODES, 'must be "allowed", "required" or "off", or an object'),
      v.looseObject({
        mode: v.optional(v.picklist(MODES, 'must be "allowed", "required" or "off"'), 'allowed'),
      }),
    ]),
    'allowed',
  ),
})

/** The options of `withJwtAuth` once checked. */
export type ParsedOptions = v.InferOutput<typeof schema>

/** Check `options` once, at construction: `ConfigError` naming the first offending field. */
export function parseWithJwtAuthOptions(options: unknown): ParsedOptions {
  return parseOptions(schema, options)
}
