/**
 * One Node contender per process, chosen by BENCH_CONTENDER (`family:variant`); prints `ready`
 * once listening. Every server answers `GET /me` with the same JSON body.
 */
import { createServer } from 'node:http'
import { importSPKI, jwtVerify } from 'jose'
import { benchEnv, ME, readmeHandler, reads } from './app.mjs'

const settings = benchEnv()
const [family, variant] = settings.contender.split(':')
const ready = () => console.log('ready')
const listen = (server) => server.listen(settings.port, '127.0.0.1', ready)

/** Covet's Node adapter, as the README starts it. */
async function covet(handler) {
  const { serve } = await import('@covet/adapters/node')
  await serve(handler, { port: settings.port, onListen: ready })
}

/** The verification key, imported once, as an application that cares about speed does. */
async function joseKey(algorithm) {
  if (algorithm === 'RS256') return importSPKI(settings.rsaPublic, 'RS256')
  const raw = new TextEncoder().encode(settings.secret)
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
}

/** jose by hand, in Covet's Node adapter: what an application writes without a library around it. */
async function joseHandler(algorithm) {
  const key = await joseKey(algorithm)
  const options = {
    algorithms: [algorithm],
    issuer: settings.issuer,
    audience: settings.audience,
    typ: 'at+jwt',
  }
  const unauthorized = () =>
    Response.json(
      { error: 'invalid_token' },
      { status: 401, headers: { 'www-authenticate': 'Bearer realm="api"' } },
    )
  return async (request) => {
    const header = request.headers.get('authorization') ?? ''
    if (!header.startsWith('Bearer ')) return unauthorized()
    try {
      const { payload } = await jwtVerify(header.slice(7), key, options)
      return Response.json({ sub: payload.sub })
    } catch {
      return unauthorized()
    }
  }
}

/** fastify, bare or with @fastify/jwt. */
async function fastify(algorithm) {
  const { default: Fastify } = await import('fastify')
  const app = Fastify()
  if (algorithm === undefined) {
    app.get('/me', async () => ME)
  } else {
    const { default: fastifyJwt } = await import('@fastify/jwt')
    const secret =
      algorithm === 'HS256' ? settings.secret : { private: settings.rsaPrivate, public: settings.rsaPublic }
    await app.register(fastifyJwt, {
      secret,
      verify: { algorithms: [algorithm], allowedIss: settings.issuer, allowedAud: settings.audience },
    })
    app.get('/me', async (request, reply) => {
      try {
        await request.jwtVerify()
      } catch {
        return reply.code(401).send({ error: 'invalid_token' })
      }
      return { sub: request.user.sub }
    })
  }
  await app.listen({ port: settings.port, host: '127.0.0.1' })
  ready()
}

switch (family) {
  case 'covet': {
    if (variant === 'none') await covet(() => Response.json(ME))
    // The adapter with the same three reads and no auth: what the README's handler pays before its own work.
    else if (variant === 'reads') await covet(reads)
    else if (variant === 'none-ponyfill') {
      const { Response: PonyfillResponse } = await import('@whatwg-node/fetch')
      await covet(() => PonyfillResponse.json(ME))
    } else {
      const [algorithm, cache, extra] = variant.split('-')
      const dpop = extra === 'dpopoff' ? 'off' : 'allowed'
      await covet(await readmeHandler(settings, algorithm, cache === 'cache', extra === 'otel', dpop))
    }
    break
  }
  case 'jose':
    await covet(await joseHandler(variant))
    break
  case 'hono': {
    // A Hono app on @hono/node-server, which swaps the global Response for its lightweight one:
    // bare, or behind hono/jwt.
    const { createAdaptorServer } = await import('@hono/node-server')
    const { honoApp } = await import('./hono.mjs')
    listen(createAdaptorServer({ fetch: (await honoApp(settings, variant || undefined)).fetch }))
    break
  }
  case 'whatwg': {
    // @whatwg-node/server with its own Response, the one it sends fastest.
    const { Response: PonyfillResponse } = await import('@whatwg-node/fetch')
    const { createServerAdapter } = await import('@whatwg-node/server')
    listen(createServer(createServerAdapter(() => PonyfillResponse.json(ME))))
    break
  }
  case 'srvx': {
    // srvx alone, with its Response as the global (as srvx's own benchmark runs it).
    const { FastResponse, serve } = await import('srvx/node')
    globalThis.Response = FastResponse
    const server = serve({
      port: settings.port,
      hostname: '127.0.0.1',
      silent: true,
      fetch: variant === 'reads' ? reads : () => Response.json(ME),
    })
    await server.ready()
    ready()
    break
  }
  case 'fastify':
    await fastify(variant || undefined)
    break
  default:
    throw new Error(`unknown contender ${settings.contender}`)
}
