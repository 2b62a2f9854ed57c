/** The Bun or Deno contenders (`bun run` / `deno run`): the bare runtime server, or the README's handler. */
import { benchEnv, ME, readmeHandler, reads } from './app.mjs'

const settings = benchEnv()
const [, variant] = settings.contender.split(':')
const ready = () => console.log('ready')
const bare = () => Response.json(ME)

// The least any auth does per request, with no verification at all: read the Authorization header,
// look its value up in a Map (a verified-token cache's hit), keep the result per request (as
// getAuth reads it), answer with it. What this costs next to `bare` is beyond any library's reach.
const seen = new Map()
const perRequest = new WeakMap()
const floor = (request) => {
  const authorization = request.headers.get('authorization')
  let who = seen.get(authorization)
  if (who === undefined) {
    who = { sub: ME.sub }
    seen.set(authorization, who)
  }
  perRequest.set(request, who)
  return Response.json({ sub: perRequest.get(request).sub })
}

// Each read of `reads` alone, for bench:instructions: the first header read builds the request's
// headers, whichever header it asks for, and reading the URL builds its string.
const readAuthorization = (request) =>
  request.headers.get('authorization') === null ? new Response(null, { status: 400 }) : Response.json(ME)
const readUrl = (request) =>
  request.url.length === 0 ? new Response(null, { status: 400 }) : Response.json(ME)
const plain = { bare, floor, reads, 'read-authorization': readAuthorization, 'read-url': readUrl }

/** Bun's or Deno's own server, serving `fetch`. */
function serveBare(fetch) {
  if (globalThis.Bun) {
    globalThis.Bun.serve({ port: settings.port, hostname: '127.0.0.1', fetch })
    ready()
  } else {
    globalThis.Deno.serve({ port: settings.port, hostname: '127.0.0.1', onListen: ready }, fetch)
  }
}

if (plain[variant] !== undefined) {
  serveBare(plain[variant])
} else if (variant.startsWith('hono')) {
  // A Hono app on the runtime's own server, as Hono's guides start one: bare, or behind hono/jwt
  // (`hono-HS256`, `hono-RS256`).
  const { honoApp } = await import('./hono.mjs')
  serveBare((await honoApp(settings, variant.split('-')[1])).fetch)
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
