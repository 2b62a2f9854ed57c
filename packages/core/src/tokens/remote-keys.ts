import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { ResolvedConfig } from '../config.js'
import { KeySetUnavailableError, TokenInvalidError } from '../errors.js'
import { refuseIdToken } from './id-token.js'
import { JoseOptions } from './jose-options.js'
import { precheck } from './precheck.js'

/** What the pipeline needs from the signature step: the payload and the header's `typ`. */
export interface VerifiedParts {
  readonly payload: JWTPayload
  readonly typ: string | undefined
}

/**
 * Key resolution for another issuer's tokens (`jwksUri`): jose's remote key set, created once. It
 * refetches on an unknown `kid` after a cooldown and shares one fetch between concurrent callers.
 */
export class RemoteKeys {
  readonly #config: ResolvedConfig
  readonly #keys: JWTVerifyGetKey
  readonly #options: JoseOptions

  constructor(config: ResolvedConfig, jwksUri: URL) {
    this.#config = config
    this.#keys = outagesAsUnavailable(
      createRemoteJWKSet(jwksUri, {
        cooldownDuration: config.jwks.cooldownMs,
        timeoutDuration: config.jwks.timeoutMs,
        cacheMaxAge: config.jwks.cacheMaxAgeMs,
      }),
    )
    this.#options = new JoseOptions({
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockTolerance,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clock: config.clock,
    })
  }

  async verify(token: string): Promise<VerifiedParts> {
    const config = this.#config
    const header = precheck(token, config.maxTokenLength)
    if (!config.algorithms.includes(header.alg as never)) throw new TokenInvalidError('algorithm')
    const { payload } = await jwtVerify(token, this.#keys, this.#options.for(config.algorithms, '*'))
    // Another issuer signs its ID tokens with the same keys: they are never access tokens (RFC 9068 §4).
    refuseIdToken(payload)
    return { payload, typ: header.typ }
  }
}

/**
 * A failure to obtain the set is an outage (503), not a bad token; only "no key matches" is the
 * token's fault.
 */
function outagesAsUnavailable(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token)
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        throw error
      throw new KeySetUnavailableError(undefined, { cause: error })
    }
  }
}
