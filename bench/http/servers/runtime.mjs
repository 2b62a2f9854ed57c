/** The Bun or Deno contenders (`bun run` / `deno run`): the bare runtime server, or the README's handler. */
import { benchEnv, ME, readmeHandler } from './app.mjs'

const settings = benchEnv()
const [, variant] = settings.contender.split(':')
const ready = () => console.log('ready')
const bare = () => Response.json(ME)

if (variant === 'bare') {
  if (globalThis.Bun) {
    globalThis.Bun.serve({ port: settings.port, hostname: '127.0.0.1', fetch: bare })
    ready()
  } else {
    globalThis.Deno.serve({ port: settings.port, hostname: '127.0.0.1', onListen: ready }, bare)
  }
} else {
  const { serve } = globalThis.Bun
    ? await import('@covet/adapters/bun')
    : await import('@covet/adapters/deno')
  const [algorithm, cache] = variant.split('-')
  await serve(await readmeHandler(settings, algorithm, cache === 'cache'), {
    port: settings.port,
    onListen: ready,
  })
}
