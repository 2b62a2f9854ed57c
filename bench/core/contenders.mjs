/**
 * The contenders. `prepare` (main thread) makes one algorithm's key, in the text forms every
 * library can import (PEM or secret), and a pool of tokens issued by Covet. `buildCase` (in each
 * case's worker) imports the key the way that library is meant to be used — once, ahead of time —
 * and checks the case against the whole pool before any timing, so a benchmark can never measure
 * a failure path.
 */
import { createJwtAuth } from '@covet/core'
import { instrument } from '@covet/otel'
import { createVerifier } from 'fast-jwt'
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  importPKCS8,
  importSPKI,
  jwtVerify,
  SignJWT,
} from 'jose'

/**
 * Measured together: the no-cache target compares the first two; `jose#control` is plain jose
 * again in another isolate, so the run shows how far two identical cases can differ (ideally 1.00).
 */
export const VERIFY_CASES = ['covet', 'jose', 'jose#control']
/** `covetCacheOtel` is `covetCache` under `instrument(auth)` with no OpenTelemetry SDK: the API's no-op. */
export const CACHE_CASES = ['covetCache', 'covetCacheOtel', 'fastJwtCache', 'fastJwt']
export const SIGN_CASES = ['covetSign', 'joseSign', 'covetPair']
/**
 * Another issuer's RS256 tokens (`createJwtAuth({ issuers })`, cache off) against plain jose with
 * the same JWK Set fetched beforehand (`createLocalJWKSet`): what `issuers` costs over jose.
 */
export const ISSUER_CASES = ['covetIssuer', 'joseJwks']
/** The same verifications with several in flight, as on a busy server: Web Crypto's thread-pool hops overlap. */
export const CONCURRENT_CASES = ['covet@8', 'jose@8']

const ISSUER = 'https://bench.covet.example'
const AUDIENCE = 'bench-api'
const TYP = 'at+jwt'
const POOL_SIZE = 64
const GRANT = { roles: ['admin'], permissions: ['users:read', 'users:write'], scope: 'read write' }
const REQUIRED = ['exp', 'iat', 'sub', 'jti']
/** What jose is asked of another issuer's tokens: `jti` is optional there. */
const FOREIGN_REQUIRED = ['exp', 'iat', 'sub']
const JWKS_URI = 'https://bench.covet.example/.well-known/jwks.json'

const GENERATE = {
  RS256: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
}

function toPem(label, der) {
  const base64 = Buffer.from(der).toString('base64')
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g).join('\n')}\n-----END ${label}-----\n`
}

/** @param {'HS256' | 'RS256' | 'ES256' | 'EdDSA'} alg */
export async function prepare(alg) {
  let keys
  if (alg === 'HS256') {
    const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')
    keys = { secret }
  } else {
    const pair = await crypto.subtle.generateKey(GENERATE[alg], true, ['sign', 'verify'])
    keys = {
      privatePem: toPem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
      publicPem: toPem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey)),
    }
  }
  const auth = await covetAuth({ alg, ...keys }, true)
  const tokens = await Promise.all(
    Array.from({ length: POOL_SIZE }, (_, i) => auth.createToken(`user-${i}`, GRANT)),
  )
  return { alg, ...keys, kid: decodeProtectedHeader(tokens[0]).kid, tokens }
}

function covetAuth(material, cache) {
  const keys = material.secret ?? material.privatePem
  return createJwtAuth({
    algorithm: material.alg,
    keys,
    issuer: ISSUER,
    audience: AUDIENCE,
    cache,
    warn() {},
  })
}

async function joseKey(material, use) {
  if (material.secret !== undefined) {
    const bytes = new TextEncoder().encode(material.secret)
    return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [use])
  }
  return use === 'sign'
    ? importPKCS8(material.privatePem, material.alg)
    : importSPKI(material.publicPem, material.alg)
}

function fastJwtVerifier(material, cache) {
  return createVerifier({
    key: material.secret ?? material.publicPem,
    algorithms: [material.alg],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    checkTyp: TYP,
    clockTolerance: 5000,
    requiredClaims: REQUIRED,
    cache,
  })
}

/** The bench key's public JWK Set, as the issuer would publish it. */
async function publicJwks(material) {
  const jwk = await exportJWK(await importSPKI(material.publicPem, material.alg, { extractable: true }))
  return { keys: [{ ...jwk, kid: material.kid, alg: material.alg, use: 'sig' }] }
}

/**
 * Covet as a resource server for the bench issuer: its key set comes from `jwksCache` (a cold
 * start that finds it saved), so no case measures a fetch.
 */
async function covetForeign(material) {
  const jwks = await publicJwks(material)
  const now = Date.now()
  const saved = { jwksUri: JWKS_URI, jwks, fetchedAt: now, freshUntil: now + 86_400_000 }
  return createJwtAuth({
    issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwksUri: JWKS_URI, algorithms: [material.alg] }],
    jwksCache: { load: () => saved, save() {} },
    cache: false,
    warn() {},
  })
}

/** @returns {Promise<() => unknown>} */
async function makeFn(key, material) {
  const { alg, tokens } = material
  let i = 0
  const next = () => tokens[i++ & (POOL_SIZE - 1)]
  switch (key) {
    case 'covet':
    case 'covetCache': {
      const auth = await covetAuth(material, key === 'covetCache')
      return () => auth.verifyToken(next())
    }
    case 'covetCacheOtel': {
      const auth = await covetAuth(material, true)
      // No SDK is registered in this isolate: what an application pays before it sets one up.
      instrument(auth)
      return () => auth.verifyToken(next())
    }
    case 'jose': {
      const verifyKey = await joseKey(material, 'verify')
      const options = {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [alg],
        typ: TYP,
        clockTolerance: 5,
        requiredClaims: REQUIRED,
      }
      return () => jwtVerify(next(), verifyKey, options)
    }
    case 'covetIssuer': {
      const auth = await covetForeign(material)
      return () => auth.verifyToken(next())
    }
    case 'joseJwks': {
      const keys = createLocalJWKSet(await publicJwks(material))
      const options = {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [alg],
        typ: TYP,
        clockTolerance: 5,
        requiredClaims: FOREIGN_REQUIRED,
      }
      return () => jwtVerify(next(), keys, options)
    }
    case 'fastJwt':
    case 'fastJwtCache': {
      const verify = fastJwtVerifier(material, key === 'fastJwtCache')
      return () => verify(next())
    }
    case 'covetSign':
    case 'covetPair': {
      const auth = await covetAuth(material, false)
      return key === 'covetSign'
        ? () => auth.createToken('user-1', GRANT)
        : () => auth.createTokenPair('user-1', GRANT)
    }
    case 'joseSign': {
      const signKey = await joseKey(material, 'sign')
      const header = { alg, kid: material.kid, typ: TYP }
      return () =>
        new SignJWT({ ...GRANT })
          .setProtectedHeader(header)
          .setSubject('user-1')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('15m')
          .setJti(crypto.randomUUID())
          .sign(signKey)
    }
    default:
      throw new Error(`unknown case ${key}`)
  }
}

/** Builds one case and proves it works: every pool token verifies, or what it signs verifies. */
export async function buildCase(key, material) {
  const [name, inFlight] = key.split('#')[0].split('@')
  const fn = await makeFn(name, material)
  if (inFlight !== undefined) {
    const width = Number(inFlight)
    const many = () => Promise.all(Array.from({ length: width }, fn))
    await check(name, many, material)
    return { fn: many, isAsync: true, opsPerCall: width }
  }
  return { fn, isAsync: await check(name, fn, material), opsPerCall: 1 }
}

/** Runs the case over the whole pool (or once, for signing) and throws unless it really works; says whether it is async. */
async function check(name, fn, material) {
  const first = fn()
  const isAsync = typeof first?.then === 'function'
  if (VERIFY_CASES.includes(name) || CACHE_CASES.includes(name) || ISSUER_CASES.includes(name)) {
    for (let n = 0; n < POOL_SIZE; n++) {
      for (const result of [await (n === 0 ? first : fn())].flat()) {
        const subject = result.subject ?? result.payload?.sub ?? result.sub
        if (typeof subject !== 'string' || !subject.startsWith('user-')) throw new Error('did not verify')
      }
    }
  } else {
    const signed = await first
    const checker = await covetAuth(material, false)
    await checker.verifyToken(typeof signed === 'string' ? signed : signed.accessToken)
  }
  return isAsync
}
