/**
 * What `bench:instructions`, `bench:profile` and `bench:paired` share (and `bench:http` its forgery): how each runtime starts a server script of
 * servers/, how V8 is told to name its compiled code, and the keys and tokens every server is
 * handed (the same issuer and audience as `bench:http`'s).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJwtAuth } from '@covet/core'
import { startServerProcess } from './server-process.mjs'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))

/** The bench package's folder: the servers run from it, to find its dependencies. */
export const benchDir = join(here, '..')

/** Each runtime's command for a server script, and the script (a path), per runtime. */
export const runtimes = {
  bun: [
    [join(dirname(require.resolve('bun/package.json')), 'bin/bun.exe'), 'run'],
    join(here, 'servers/runtime.mjs'),
  ],
  deno: [
    [join(dirname(require.resolve('deno/package.json')), 'deno'), 'run', '--allow-net', '--allow-env'],
    join(here, 'servers/runtime.mjs'),
  ],
  node: [[process.execPath], join(here, 'servers/node.mjs')],
}

/**
 * A contender of servers/*.mjs (`BENCH_CONTENDER`) on `runtime`, started on the server CPU with
 * `env` (startServerProcess says what it resolves with).
 */
export function startContender(runtime, contender, env) {
  const [[command, ...args], script] = runtimes[runtime]
  return startServerProcess(command, [...args, script], {
    cwd: benchDir,
    env: { ...env, BENCH_CONTENDER: contender },
    label: `${contender} on ${runtime}`,
  })
}

/** How V8 is told to write the names of its compiled code for perf; Bun's JavaScriptCore writes a jitdump instead (jitdump.mjs). */
export const PERF_NAMES = { node: ['--perf-basic-prof'], deno: ['--v8-flags=--perf-basic-prof'], bun: [] }

/**
 * A fresh HS256 secret and RSA key pair, what the servers read of them from the environment
 * (`env`), and Covet's HS256 and RS256 `JwtAuth` over them, to mint the tokens sent.
 */
export async function benchKeys() {
  const secret = randomBytes(48).toString('base64url')
  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const claims = { issuer: 'https://bench.covet.example', audience: 'bench', accessTokenTtl: '1h' }
  return {
    env: { BENCH_SECRET: secret, BENCH_RSA_PRIVATE: rsa.privateKey, BENCH_RSA_PUBLIC: rsa.publicKey },
    hs: await createJwtAuth({ ...claims, algorithm: 'HS256', keys: secret }),
    rs: await createJwtAuth({ ...claims, algorithm: 'RS256', keys: rsa.privateKey }),
  }
}

/** One signature character changed: the token parses, and verification runs and fails. */
export const forge = (token) => {
  const [h, p, s] = token.split('.')
  const i = Math.floor(s.length / 2)
  return `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`
}
