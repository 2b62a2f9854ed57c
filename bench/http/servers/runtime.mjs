/** The Covet contenders on Bun or Deno (`bun run` / `deno run`), through their adapters. */
import { benchEnv } from './app.mjs'
import { covetHandler } from './covet.mjs'

const settings = benchEnv()
const { serve } = globalThis.Bun ? await import('@covet/adapters/bun') : await import('@covet/adapters/deno')
const [, variant] = settings.contender.split(':')
await serve(await covetHandler(variant, Response, settings), {
  port: settings.port,
  onListen: () => console.log('ready'),
})
