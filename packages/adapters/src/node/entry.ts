/**
 * What `@covet/adapters/node` loads. `srvx` is an optional peer dependency (Bun, Deno and Next.js
 * users never load it), so the adapter is imported only once it resolves: a missing one is then
 * named, with the command that installs it, instead of failing the whole import graph with a bare
 * module-not-found. Types come from `./index.js`.
 */
import { ConfigError } from '@covet/core'
import type * as Adapter from './index.js'

/** The optional peers this subpath needs, with the ranges it is tested on. */
const NODE_PEERS = { srvx: '^1.0.8' } as const

function missingPeer(error: unknown): ConfigError | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (code !== 'ERR_MODULE_NOT_FOUND' || typeof message !== 'string') return undefined
  const missing = Object.keys(NODE_PEERS).find((name) => message.includes(`'${name}'`))
  if (missing === undefined) return undefined
  const install = Object.entries(NODE_PEERS).map(([name, range]) => `${name}@${range}`)
  return new ConfigError(
    '@covet/adapters/node',
    `needs the optional peer dependency ${missing}, which is not installed: npm install ${install.join(' ')}`,
    { cause: error },
  )
}

const adapter: typeof Adapter = await import('./index.js').catch((error: unknown) => {
  throw missingPeer(error) ?? error
})

export const { answerClientErrors, serve, toNodeHandler } = adapter
