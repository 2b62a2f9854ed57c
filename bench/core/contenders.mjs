/**
 * Builds, for one algorithm, the same key in every form each contender wants (Covet: PEM or secret
 * string; jose: a pre-imported CryptoKey; fast-jwt: PEM or secret string), a pool of tokens issued
 * by Covet, and the functions to time. Every verifier is checked once against the pool before any
 * timing, so a benchmark can never measure a failure path.
 */
import { createJwtAuth } from '@covet/core'
import { createVerifier } from 'fast-jwt'
import { decodeProtectedHeader, importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose'

export const ISSUER = 'https://bench.covet.example'
export const AUDIENCE = 'bench-api'
const TYP = 'at+jwt'
const POOL_SIZE = 64
const GRANT = { roles: ['admin'], permissions: ['users:read', 'users:write'], scope: 'read write' }

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

/** The key material of one algorithm, in each form the contenders take. */
async function keyMaterial(alg) {
  if (alg === 'HS256') {
    const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')
    const cryptoKey = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )
    return { covetKey: secret, fastJwtKey: secret, joseVerifyKey: cryptoKey, joseSignKey: cryptoKey }
  }
  const pair = await crypto.subtle.generateKey(GENERATE[alg], true, ['sign', 'verify'])
  const privatePem = toPem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey))
  const publicPem = toPem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey))
  return {
    covetKey: privatePem,
    fastJwtKey: publicPem,
    joseVerifyKey: await importSPKI(publicPem, alg),
    joseSignKey: await importPKCS8(privatePem, alg),
  }
}

/**
 * @param {'HS256' | 'RS256' | 'ES256' | 'EdDSA'} alg
 * @returns {Promise<{ verify: Array<{ key: string, fn: () => unknown }>, sign: Array<{ key: string, fn: () => unknown }> }>}
 */
export async function contenders(alg) {
  const material = await keyMaterial(alg)
  const common = {
    algorithm: alg,
    keys: material.covetKey,
    issuer: ISSUER,
    audience: AUDIENCE,
    warn: () => {},
  }
  const cached = await createJwtAuth(common)
  const uncached = await createJwtAuth({ ...common, cache: false })
  const pool = await Promise.all(
    Array.from({ length: POOL_SIZE }, (_, i) => cached.createToken(`user-${i}`, GRANT)),
  )
  const { kid } = decodeProtectedHeader(pool[0])

  const joseOptions = {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: [alg],
    typ: TYP,
    clockTolerance: 5,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  }
  const fastJwtOptions = {
    key: material.fastJwtKey,
    algorithms: [alg],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    checkTyp: TYP,
    clockTolerance: 5000,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  }
  const fastNoCache = createVerifier({ ...fastJwtOptions, cache: false })
  const fastCache = createVerifier({ ...fastJwtOptions, cache: true })

  let i = 0
  const next = () => pool[i++ & (POOL_SIZE - 1)]
  const verify = [
    { key: 'covet', fn: () => uncached.verifyToken(next()) },
    { key: 'jose', fn: () => jwtVerify(next(), material.joseVerifyKey, joseOptions) },
    { key: 'covetCache', fn: () => cached.verifyToken(next()) },
    { key: 'fastJwtCache', fn: () => fastCache(next()) },
    { key: 'fastJwt', fn: () => fastNoCache(next()) },
  ]
  await assertAllAccept(verify, pool)

  const signHeader = { alg, kid, typ: TYP }
  const sign = [
    { key: 'covetSign', fn: () => uncached.createToken('user-1', GRANT) },
    {
      key: 'joseSign',
      fn: () =>
        new SignJWT({ ...GRANT })
          .setProtectedHeader(signHeader)
          .setSubject('user-1')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('15m')
          .setJti(crypto.randomUUID())
          .sign(material.joseSignKey),
    },
    { key: 'covetPair', fn: () => uncached.createTokenPair('user-1', GRANT) },
  ]
  const signed = await sign[1].fn()
  await uncached.verifyToken(signed) // plain jose's tokens are the same tokens Covet accepts
  return { verify, sign }
}

async function assertAllAccept(cases, pool) {
  for (const { key, fn } of cases) {
    for (let n = 0; n < pool.length; n++) {
      const result = await fn()
      const subject = result.subject ?? result.payload?.sub ?? result.sub
      if (typeof subject !== 'string' || !subject.startsWith('user-')) {
        throw new Error(`${key} did not verify the token pool`)
      }
    }
  }
}
