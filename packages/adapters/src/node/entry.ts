/**
 * What `@covet/adapters/node` loads. `@whatwg-node/server` and `@whatwg-node/fetch` are optional
 * peer dependencies (Bun, Deno and Next.js users never load them), so the adapter is imported only
 * once they resolve: a missing one is then named, with the command that installs it, instead of
 * failing the whole import graph with a bare module-not-found. Types come from `./index.js`.
 */
import { ConfigError } from '@covet/core'
import type * as Adapter from './index.js'

/** The optional peers this subpath needs, with the ranges it is tested on. */
const NODE_PEERS = { '@whatwg-node/server': '^0.11.0', '@whatwg-node/fetch': '^0.10.13' } as const

function missingPeer(error: unknown): ConfigError | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (code !== 'ERR_MODULE_NOT_FOUND' || typeof message !== 'string') return undefined
  const missing = Object.keys(NODE_PEERS).find((name) => message.includes(`'${name}'`))
  if (missing === undefined) return undefined
  const install = Object.entries(NODE_PEERS).map(([name, range]) => `${name}@${range}`)
  return new ConfigError(
    '@covet/adapters/node',
    `needs the optional peer dependencies ${Object.keys(NODE_PEERS).join(' and ')}, and ${missing} ` +
      `is not installed: npm install ${install.join(' ')}`,
    { cause: error },
  )
}

const adapter: typeof Adapter = await import('./index.js').catch((error: unknown) => {
  throw missingPeer(error) ?? error
})

export const { serve, toNodeHandler } = adapter
