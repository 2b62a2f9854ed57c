import type { JwtAuth } from '@covet/core'
import { invalidGrant, invalidRequest, invalidScope } from '../errors.js'
import { formatScope } from '../lib/scope.js'
import { requestedScope } from './scope.js'
import { countLoginAttempt } from './throttle.js'
import type { DpopBinding, GrantHandler, TokenResponseBody, VerifiedUser } from './types.js'

/**
 * RFC 6749 §4.3: resource owner password credentials. Off unless a client lists it (RFC 9700
 * §2.4 deprecates it). Each attempt is counted per username, per client and per source before
 * its password is checked (see `beginLogin`): a locked-out username gets 429 whatever its
 * password; a spent client or source budget refuses only usernames that already failed.
 */
export const passwordGrant: GrantHandler = async (context, client, form, request) => {
  const username = form.get('username')
  const password = form.get('password')
  if (username === undefined || password === undefined) {
    throw invalidRequest('username and password are required')
  }
  const scopes = requestedScope(client, form)
  const attempt = await countLoginAttempt(context, client.clientId, username, request)
  const user = await context.verifyUser!(username, password, { clientId: client.clientId, scopes })
  // RFC 6749 §5.2: one answer for an unknown user and a wrong password. The attempt stays counted.
  if (!user) throw invalidGrant('The resource owner credentials are invalid')
  await attempt.succeeded()
  return issueUserTokens(context.auth, user, scopes, {
    clientId: client.clientId,
    grantType: 'password',
    refresh: client.grantTypes.has('refresh_token'),
    dpop: context.dpop,
  })
}

/**
 * Tokens for a verified user: a pair when refresh is allowed, else an access token alone. The
 * granted scope is the requested one narrowed to the user's own scopes, if any.
 */
export async function issueUserTokens(
  auth: JwtAuth<object>,
  user: VerifiedUser,
  requested: readonly string[],
  /** `grantType` is told to `token.issued` listeners (metrics); it is not written into the tokens. */
  options: {
    clientId?: string
    grantType?: string
    refresh: boolean
    /** The family an access token issued alone belongs to (a pair gets its own). */
    familyId?: string
    /** RFC 9449 §5: the DPoP key to bind the tokens to. */
    dpop?: DpopBinding | undefined
  },
): Promise<TokenResponseBody> {
  const granted = user.scopes === undefined ? requested : requested.filter((s) => user.scopes!.includes(s))
  // RFC 6749 §3.3: a request the user can hold none of is refused, not answered with no scope.
  if (requested.length > 0 && granted.length === 0) throw invalidScope()
  const scope = formatScope(granted)
  const grant = {
    ...(user.roles === undefined ? {} : { roles: user.roles }),
    ...(user.permissions === undefined ? {} : { permissions: user.permissions }),
    ...(user.claims === undefined ? {} : { claims: user.claims }),
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.grantType === undefined ? {} : { grantType: options.grantType }),
    ...(scope === undefined ? {} : { scope }),
    ...(options.dpop === undefined ? {} : { dpopJkt: options.dpop.jkt }),
  }
  const scopeMember = scope === undefined ? {} : { scope }
  if (options.refresh) {
    const bindRefreshToken = options.dpop?.bindRefreshToken === true
    const pair = await auth.createTokenPair(user.subject, { ...grant, bindRefreshToken })
    return {
      access_token: pair.accessToken,
      token_type: pair.tokenType,
      expires_in: pair.expiresIn,
      refresh_token: pair.refreshToken,
      ...scopeMember,
    }
  }
  const family = options.familyId === undefined ? {} : { familyId: options.familyId }
  const accessToken = await auth.createToken(user.subject, { ...grant, ...family, type: 'access' })
  return {
    access_token: accessToken,
    token_type: options.dpop === undefined ? 'Bearer' : 'DPoP',
    expires_in: auth.accessTokenTtl,
    ...scopeMember,
  }
}
