import { isCovetError, StoreUnavailableError } from '@covet/core'
import { redeemCode } from '../authorize/codes.js'
import { verifyPkce } from '../authorize/pkce.js'
import { invalidGrant, invalidRequest } from '../errors.js'
import { issueUserTokens } from './password.js'
import type { GrantContext, GrantHandler } from './types.js'

const INVALID = 'The authorization code is invalid, expired, spent or not issued to this client'

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.5, §4.6): exchanges a code for tokens once. A code
 * bound to a DPoP key (`dpop_jkt`, RFC 9449 §10) needs a proof of that key. The code is spent
 * before anything is checked, so a wrong verifier, client, redirect URI or key burns it too; a
 * second redemption is refused and revokes the tokens the first one issued (RFC 6749 §4.1.2).
 * Every refusal is the same `invalid_grant`, telling nothing of which check failed.
 */
export const authorizationCodeGrant: GrantHandler = async (context, client, form) => {
  const code = form.get('code')
  if (code === undefined) throw invalidRequest('code is required')
  const records = context.records!
  const redemption = await redeemCode(records, code)
  if (!redemption.first) {
    if (redemption.issued !== undefined) await revokeFamily(context, redemption.issued)
    throw invalidGrant(INVALID)
  }
  const { grant } = redemption
  // RFC 6749 §4.1.3: the code was issued to this client, for this redirect URI.
  if (grant.clientId !== client.clientId) throw invalidGrant(INVALID)
  const redirectUri = form.get('redirect_uri')
  if (
    grant.redirectUriSent
      ? redirectUri !== grant.redirectUri
      : redirectUri !== undefined && redirectUri !== grant.redirectUri
  ) {
    throw invalidGrant(INVALID)
  }
  // RFC 7636 §4.6: the verifier must hash to the challenge the authorization request carried.
  if (!(await verifyPkce(form.get('code_verifier'), grant.codeChallenge))) throw invalidGrant(INVALID)
  // RFC 9449 §10: a code bound to a DPoP key needs this request's proof to be of that key.
  if (grant.dpopJkt !== undefined && context.dpop?.jkt !== grant.dpopJkt) throw invalidGrant(INVALID)

  const { auth } = context
  const body = await issueUserTokens(auth, grant.user, grant.scopes, {
    clientId: client.clientId,
    grantType: 'authorization_code',
    refresh: client.grantTypes.has('refresh_token'),
    // A pair gets a family of its own; an access token issued alone joins this one.
    familyId: crypto.randomUUID(),
    dpop: context.dpop,
  })
  // The access token names the family and when it was issued: what a reuse must revoke, and how long.
  const access = await auth.verifyToken(body.access_token)
  const issued = {
    familyId: access.familyId!,
    until: access.issuedAt + Math.max(auth.accessTokenTtl, auth.refreshTokenTtl) + CLOCK_MARGIN,
  }
  if (!(await redemption.issued(issued.familyId, issued.until))) {
    // Another redemption came while these were issued: they must not stand either.
    await revokeFamily(context, issued)
    throw invalidGrant(INVALID)
  }
  return body
}

/** Seconds past a token's expiry its revocation is kept: more than any verifier's clock tolerance. */
const CLOCK_MARGIN = 300

/** Revokes every token of the family a code issued, for as long as any of them can live. */
async function revokeFamily(
  { auth }: GrantContext,
  issued: { readonly familyId: string; readonly until: number },
): Promise<void> {
  try {
    await auth.revocation.revokeFamily(issued.familyId, issued.until)
  } catch (cause) {
    throw isCovetError(cause) ? cause : new StoreUnavailableError(undefined, { cause })
  }
}
