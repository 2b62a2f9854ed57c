import type { JwtAuth, TokenPair } from '@covet/core'
import { ConfigError, InvalidArgumentError } from '@covet/core'
import type { VerifiedUser } from '../grants/types.js'

/** Checks a username and password: the user, or `null` for unknown users and wrong passwords alike. */
export type VerifyCredentials = (
  username: string,
  password: string,
) => Promise<VerifiedUser | null | undefined | false>

/**
 * The resource owner password flow (RFC 6749 §4.3) without HTTP: checks the credentials with a
 * pluggable verifier and issues a token pair. Mount `createTokenEndpoint` to offer it over HTTP.
 *
 * @example
 * const flow = new OAuth2PasswordFlow(auth, async (username, password) => users.verify(username, password))
 * const pair = await flow.authenticate('alice', 'correct horse', ['read']) // TokenPair | null
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 */
export class OAuth2PasswordFlow {
  readonly #auth: JwtAuth<object>
  readonly #verify: VerifyCredentials

  constructor(auth: JwtAuth<object>, verifyCredentials: VerifyCredentials) {
    if (typeof auth?.createTokenPair !== 'function') {
      throw new ConfigError('auth', 'must be the object createJwtAuth returns')
    }
    if (typeof verifyCredentials !== 'function')
      throw new ConfigError('verifyCredentials', 'must be a function')
    this.#auth = auth
    this.#verify = verifyCredentials
  }

  /**
   * A token pair for valid credentials, `null` otherwise. The scope is the requested one,
   * narrowed to the user's `scopes` when the verifier gives them; `null` when none remain.
   */
  async authenticate(
    username: string,
    password: string,
    scopes: readonly string[] = [],
  ): Promise<TokenPair | null> {
    if (typeof username !== 'string' || typeof password !== 'string' || !Array.isArray(scopes)) {
      throw new InvalidArgumentError('username and password must be strings and scopes an array')
    }
    const user = await this.#verify(username, password)
    if (!user) return null
    const granted = user.scopes === undefined ? [...scopes] : scopes.filter((s) => user.scopes!.includes(s))
    if (scopes.length > 0 && granted.length === 0) return null
    return this.#auth.createTokenPair(user.subject, {
      ...(user.roles === undefined ? {} : { roles: user.roles }),
      ...(user.permissions === undefined ? {} : { permissions: user.permissions }),
      ...(user.claims === undefined ? {} : { claims: user.claims }),
      ...(granted.length === 0 ? {} : { scope: [...new Set(granted)].join(' ') }),
    })
  }
}
