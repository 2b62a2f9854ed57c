// What the documentation's snippets take as given, as the prose around them describes it: the
// `auth` from createJwtAuth, the protected `handler` (or `app`) of the first example, the app's
// user and client stores. A snippet that declares one of these names uses its own.

declare const auth: import('@covet/core').JwtAuth
declare const handler: (request: Request) => Response | Promise<Response>
declare const app: (request: Request) => Response | Promise<Response>
declare const keys: import('@covet/core').KeyInput
declare const issuer: string
declare const audience: string
declare const secret: string
declare const users: {
  check(username: string, password: string): Promise<import('@covet/oauth2').VerifiedUser | null>
}
declare const clients: import('@covet/oauth2').ClientRegistry
declare const verifyUser: import('@covet/oauth2').VerifyUser
declare const tokenEndpoint: import('@covet/oauth2').TokenEndpoint
declare const store: import('@covet/redis').RedisStore
declare const revocation: import('@covet/core').RevocationStore
