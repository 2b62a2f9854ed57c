import { ConfigError } from '@covet/core'
import { parseOptions } from '@covet/core/options'
import * as v from 'valibot'
import type { OnUnexpectedError } from './guard.js'

/** A Fetch-API handler; runtimes may pass extra arguments (Bun's server, Next's `{ params }`). */
// biome-ignore lint/suspicious/noExplicitAny: the rest arguments are whatever the runtime passes.
export type FetchHandler<Rest extends unknown[] = any[]> = (
  request: Request,
  ...rest: Rest
) => Response | Promise<Response>

/** What every `serve` accepts. */
export interface ServeOptions {
  /** TCP port; `0` (the default) picks a free one. */
  port?: number
  /** Interface to bind; default `127.0.0.1`. */
  hostname?: string
  /** Aborting it shuts the server down gracefully. */
  signal?: AbortSignal
  /** Called once the socket listens. */
  onListen?: (address: { hostname: string; port: number; url: string }) => void
  /**
   * Told of every error a handler lets escape (the client gets a bare 500 problem, no stack).
   * Default: `console.error`.
   */
  reportError?: OnUnexpectedError
}

/** A listening server, whatever the runtime. */
export interface RunningServer {
  readonly hostname: string
  readonly port: number
  /** `http://hostname:port` */
  readonly url: string
  /** Stop accepting connections and resolve once in-flight requests are answered. */
  close(): Promise<void>
}

const schema = v.object({
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)), 0),
  hostname: v.optional(v.pipe(v.string(), v.nonEmpty()), '127.0.0.1'),
  signal: v.optional(v.instance(AbortSignal)),
  onListen: v.optional(v.function()),
  reportError: v.optional(v.function()),
})

/** Validate `serve` options once, at start-up. */
export function parseServeOptions(
  options: ServeOptions = {},
): Required<Pick<ServeOptions, 'port' | 'hostname'>> & ServeOptions {
  const { port, hostname } = parseOptions(schema, options, { renamed: RENAMED })
  return { ...options, port, hostname }
}

// 0.1 called the observer of escaped errors `onError`, the name withJwtAuth gives a hook that
// replaces the answer: refused by its new name rather than ignored.
const RENAMED = { onError: 'reportError (it only observes; onError in withJwtAuth replaces the answer)' }

/** Throws `ConfigError` when `options` still uses a 0.1 name. */
export function refuseRenamed(options: object): void {
  for (const [old, now] of Object.entries(RENAMED)) {
    if (Object.hasOwn(options, old)) throw new ConfigError(old, `was renamed ${now}`)
  }
}

/** `http://host:port`, bracketing IPv6 literals (RFC 3986 §3.2.2). */
export function originOf(hostname: string, port: number): string {
  return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`
}
