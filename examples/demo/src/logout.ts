import { type AuthInfo, InvalidRequestError, isCovetError, type JwtAuth, respondWithError } from '@covet/core'

/**
 * `POST /logout`: revokes the presented access token and, when the form body carries
 * `refresh_token`, that token's whole refresh family (RFC 7009 §2.1: revoking a refresh token
 * also ends the access tokens of its grant). Answers 204, also when the refresh token is already
 * expired or revoked, since there is then nothing left to end.
 */
export async function logout(request: Request, who: AuthInfo, auth: JwtAuth<object>): Promise<Response> {
  const refreshToken = await readRefreshToken(request)
  if (refreshToken instanceof InvalidRequestError) return respondWithError(request, refreshToken)
  if (refreshToken !== undefined) {
    let refresh: Awaited<ReturnType<typeof auth.verifyToken>> | undefined
    try {
      refresh = await auth.verifyToken(refreshToken, { type: 'refresh' })
    } catch (error) {
      // Expired, revoked or not ours: nothing to revoke. A store outage is not "nothing".
      if (!isCovetError(error) || error.status === 503) throw error
    }
    if (refresh !== undefined && refresh.subject !== who.subject) {
      return respondWithError(
        request,
        new InvalidRequestError('The refresh token belongs to another subject'),
      )
    }
    await auth.revokeToken(who.token)
    if (refresh !== undefined) await auth.revokeToken(refreshToken, { family: true })
  } else {
    await auth.revokeToken(who.token)
  }
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } })
}

async function readRefreshToken(request: Request): Promise<string | undefined | InvalidRequestError> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
  const text = await request.text()
  if (text === '') return undefined
  if (type !== 'application/x-www-form-urlencoded') {
    return new InvalidRequestError('The body must be application/x-www-form-urlencoded')
  }
  const values = new URLSearchParams(text).getAll('refresh_token')
  // RFC 6749 §3.2: request parameters must not be included more than once.
  if (values.length > 1) return new InvalidRequestError('refresh_token was repeated')
  return values[0] === '' ? undefined : values[0]
}
