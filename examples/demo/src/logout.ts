import {
  BodyTooLargeError,
  type CovetError,
  InvalidRequestError,
  isCovetError,
  type JwtAuth,
  readBoundedText,
  respondWithError,
  type TokenError,
  type VerifiedToken,
} from '@covet/core'

/**
 * `POST /logout`: revokes the presented access token and, when the form body carries
 * `refresh_token`, that token's whole refresh family (RFC 7009 §2.1: revoking a refresh token
 * also ends the access tokens of its grant). A refresh token that was already rotated away ends
 * the family too: presenting it is reuse (RFC 9700 §4.14.2), and the family's current refresh
 * token must not outlive the logout. Answers 204, also when the refresh token is expired or
 * forged, since there is then nothing left to end.
 */
export async function logout(request: Request, who: VerifiedToken, auth: JwtAuth<object>): Promise<Response> {
  const refreshToken = await readRefreshToken(request)
  if (refreshToken instanceof InvalidRequestError || refreshToken instanceof BodyTooLargeError) {
    return respondWithError(request, refreshToken)
  }
  if (refreshToken !== undefined) {
    try {
      // Revoked or spent tokens are revoked again; another subject's token is refused before any write.
      await auth.revokeToken(refreshToken, { family: true, subject: who.subject })
    } catch (error) {
      // Expired or forged: nothing to end. A store outage is not "nothing".
      if (!isCovetError(error) || error.status !== 401) throw error
      if (isAnotherSubjects(error)) {
        return respondWithError(
          request,
          new InvalidRequestError('The refresh token belongs to another subject'),
        )
      }
    }
  }
  await auth.revokeToken(who.token)
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } })
}

/** `revokeToken` refuses a token of another subject as invalid for its claims, and nothing else so. */
function isAnotherSubjects(error: CovetError): boolean {
  return error.code === 'ERR_TOKEN_INVALID' && (error as TokenError).reason === 'claims'
}

async function readRefreshToken(
  request: Request,
): Promise<string | undefined | InvalidRequestError | BodyTooLargeError> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
  let text: string
  try {
    // At most 16 KiB is read: a larger body, declared or not, is 413 (RFC 9110 §15.5.14).
    text = await readBoundedText(request)
  } catch (error) {
    if (error instanceof BodyTooLargeError) return error
    throw error
  }
  if (text === '') return undefined
  if (type !== 'application/x-www-form-urlencoded') {
    return new InvalidRequestError('The body must be application/x-www-form-urlencoded')
  }
  const values = new URLSearchParams(text).getAll('refresh_token')
  // RFC 6749 §3.2: request parameters must not be included more than once.
  if (values.length > 1) return new InvalidRequestError('refresh_token was repeated')
  return values[0] === '' ? undefined : values[0]
}
