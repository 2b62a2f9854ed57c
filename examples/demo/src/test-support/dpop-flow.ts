import * as oauth from 'oauth4webapi'
import { expect } from 'vitest'
import { authorizationRequest, signInAndAllow } from './code-flow.js'

const insecure = { [oauth.allowInsecureRequests]: true } as const

/** The claims of a JWT, unverified (the test only reads what the server put there). */
const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'))

/** Runs `attempt`; once more if the server asked for its DPoP nonce (RFC 9449 §8, §9). */
async function retryingNonce<T>(attempt: () => Promise<T>, seen: { nonceRetries: number }): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error
    seen.nonceRetries++
    return attempt()
  }
}

/**
 * What oauth4webapi's DPoP support does against the demo for its public client demo-native:
 * discovery, the code flow with a DPoP proof at the token endpoint (retrying when the server
 * asks for its nonce), `/me` with the bound token and a proof, the same request replayed, the
 * bound token sent as Bearer, and a refresh with and without a proof of the key.
 */
export async function oauth4webapiDpopFlow(base: string) {
  const issuer = new URL(base)
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  )
  expect(as.dpop_signing_alg_values_supported).toContain('ES256')
  const client: oauth.Client = { client_id: 'demo-native' }
  const keyPair = await oauth.generateKeyPair('ES256')
  const DPoP = oauth.DPoP(client, keyPair)
  const jkt = await DPoP.calculateThumbprint()
  const seen = { nonceRetries: 0 }

  const { url, redirectUri, verifier, state } = await authorizationRequest(as, client)
  const params = oauth.validateAuthResponse(as, client, await signInAndAllow(url, 'alice'), state)
  const tokens = await retryingNonce(
    async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, {
          DPoP,
          ...insecure,
        }),
      ),
    seen,
  )

  // The proof oauth4webapi sends to /me, kept to be replayed.
  let sent: Headers | undefined
  const capture = {
    [oauth.customFetch]: (input: string, init: oauth.CustomFetchOptions<string, unknown>) => {
      sent = new Headers(init.headers)
      return fetch(input, init as RequestInit)
    },
  }
  const me = await retryingNonce(
    () =>
      oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL('/me', base), undefined, undefined, {
        DPoP,
        ...capture,
        ...insecure,
      }),
    seen,
  )
  const replayed = await fetch(new URL('/me', base), {
    headers: { authorization: sent!.get('authorization')!, dpop: sent!.get('dpop')! },
  })
  const asBearer = await fetch(new URL('/me', base), {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  })

  const refresh = (options: oauth.TokenEndpointRequestOptions) =>
    oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, {
      ...options,
      ...insecure,
    })
  const withoutProof = await refresh({})
  const refreshed = await retryingNonce(
    async () => oauth.processRefreshTokenResponse(as, client, await refresh({ DPoP })),
    seen,
  )
  const meAfterRefresh = await retryingNonce(
    () =>
      oauth.protectedResourceRequest(
        refreshed.access_token,
        'GET',
        new URL('/me', base),
        undefined,
        undefined,
        {
          DPoP,
          ...insecure,
        },
      ),
    seen,
  )
  return {
    jkt,
    tokens,
    accessCnf: claimsOf(tokens.access_token).cnf,
    refreshCnf: claimsOf(tokens.refresh_token!).cnf,
    me: { status: me.status, body: await me.json() },
    replayed: { status: replayed.status, challenge: replayed.headers.get('www-authenticate') },
    asBearer: { status: asBearer.status, body: await asBearer.json() },
    withoutProof: { status: withoutProof.status, body: await withoutProof.json() },
    refreshed,
    meAfterRefresh: meAfterRefresh.status,
    nonceRetries: seen.nonceRetries,
  }
}
