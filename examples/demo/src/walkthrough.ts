/** The start-up text: where the demo listens and a short curl walkthrough of every part. */
export function walkthrough(url: string, notes: readonly string[]): string {
  const token = `sed -E 's/.*"access_token":"([^"]+)".*/\\1/'`
  return `Covet demo listening on ${url}
${notes.map((note) => `  ${note}`).join('\n')}

Accounts: alice/alice-password (admin), bob/bob-password (user), carol/carol-password (moderator)
Clients:  demo-app/demo-app-secret (password, refresh_token),
          reporting-service/reporting-service-secret (client_credentials),
          demo-native and demo-spa (public: authorization_code with PKCE, refresh_token)

In a browser: ${url}/app/ → Log in → alice / alice-password → Allow

Try it:
  # log in as alice (password grant, client authenticated with HTTP Basic)
  curl -s -u demo-app:demo-app-secret -d grant_type=password -d username=alice -d password=alice-password ${url}/oauth/token
  TOKEN=$(curl -s -u demo-app:demo-app-secret -d grant_type=password -d username=alice -d password=alice-password ${url}/oauth/token | ${token})
  curl -s -H "Authorization: Bearer $TOKEN" ${url}/me
  curl -s -H "Authorization: Bearer $TOKEN" ${url}/admin/users               # 200 for alice, 403 for bob
  curl -s -X DELETE -H "Authorization: Bearer $TOKEN" ${url}/posts/42        # needs posts:delete (moderator and up)
  curl -s -X POST -H "Authorization: Bearer $TOKEN" ${url}/logout            # 204; add -d refresh_token=… to end the family
  curl -si -H "Authorization: Bearer $TOKEN" ${url}/me                       # 401: revoked

  # a service (client credentials) reading reports
  REPORTS=$(curl -s -u reporting-service:reporting-service-secret -d grant_type=client_credentials ${url}/oauth/token | ${token})
  curl -s -H "Authorization: Bearer $REPORTS" ${url}/reports

  curl -s ${url}/.well-known/oauth-authorization-server
  curl -s ${url}/.well-known/jwks.json
`
}
