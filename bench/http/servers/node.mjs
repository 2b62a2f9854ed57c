/** One Node contender per process, chosen by BENCH_CONTENDER; prints `ready` once listening. */
import { createServer } from 'node:http'
import { serve } from '@covet/adapters/node'
import { Response as FastResponse } from '@whatwg-node/fetch'
import { createServerAdapter } from '@whatwg-node/server'
import { importSPKI, jwtVerify } from 'jose'
import { benchEnv, meResponse } from './app.mjs'
import { covetHandler } from './covet.mjs'

const settings = benchEnv()
const [family, variant] = settings.contender.split(':')
const listen = (server) => server.listen(settings.port, '127.0.0.1', () => console.log('ready'))

/** jose by hand: what an application writes without a library around it. */
async function joseServer(algorithm) {
  const key =
    algorithm === 'HS256'
      ? new TextEncoder().encode(settings.secret)
      : await importSPKI(settings.rsaPublic, 'RS256')
  const options = {
    algorithms: [algorithm],
    issuer: settings.issuer,
    audience: settings.audience,
    typ: 'at+jwt',
  }
  const unauthorized = () =>
    new FastResponse('{"error":"unauthorized"}', {
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
    })
  return createServer(
    createServerAdapter(async (request) => {
      const header = request.headers.get('authorization') ?? ''
      if (!header.startsWith('Bearer ')) return unauthorized()
      try {
        const { payload } = await jwtVerify(header.slice(7), key, options)
        return meResponse(FastResponse, payload.sub)
      } catch {
        return unauthorized()
      }
    }),
  )
}

/** hono + @hono/node-server + hono/jwt, given a CryptoKey (its fastest setting). */
async function honoServer(algorithm) {
  const { Hono } = await import('hono')
  const { jwt } = await import('hono/jwt')
  const { createAdaptorServer } = await import('@hono/node-server')
  const secret =
    algorithm === 'HS256'
      ? await crypto.subtle.importKey(
          'raw',
          new TextEncoder().encode(settings.secret),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['verify'],
        )
      : await importSPKI(settings.rsaPublic, 'RS256')
  const app = new Hono()
  app.use(
    '/me',
    jwt({
      secret,
      alg: algorithm,
      verification: { iss: settings.issuer, aud: settings.audience, typ: 'at+jwt' },
    }),
  )
  app.get('/me', (c) => c.json({ subject: c.get('jwtPayload').sub }))
  return createAdaptorServer({ fetch: app.fetch })
}

/** fastify + @fastify/jwt. */
async function fastifyServer(algorithm) {
  const { default: Fastify } = await import('fastify')
  const { default: fastifyJwt } = await import('@fastify/jwt')
  const app = Fastify()
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
      return reply.code(401).send({ error: 'unauthorized' })
    }
    return { subject: request.user.sub }
  })
  await app.listen({ port: settings.port, host: '127.0.0.1' })
  console.log('ready')
}

switch (family) {
  case 'covet':
    await serve(await covetHandler(variant, FastResponse, settings), {
      port: settings.port,
      onListen: () => console.log('ready'),
    })
    break
  case 'whatwg':
    // The baseline without the adapter: @whatwg-node/server alone.
    listen(createServer(createServerAdapter(() => meResponse(FastResponse))))
    break
  case 'jose':
    listen(await joseServer(variant))
    break
  case 'hono':
    listen(await honoServer(variant))
    break
  case 'fastify':
    await fastifyServer(variant)
    break
  default:
    throw new Error(`unknown contender ${settings.contender}`)
}
