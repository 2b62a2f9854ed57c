export {
  type AuthorizationEndpointOptions,
  createAuthorizationEndpoint,
} from './authorize/endpoint.js'
export type { RenderPage } from './authorize/options.js'
export type { ConsentPage, LoginPage, ScopeDescription } from './authorize/pages.js'
export { authenticateClient } from './clients/authenticate.js'
export {
  type ClientAuthMethod,
  type ClientCredentials,
  readClientCredentials,
} from './clients/credentials.js'
export { DEFAULT_ITERATIONS, type HashOptions, hashClientSecret, verifyClientSecret } from './clients/hash.js'
export { type ClientRegistryOptions, createClientRegistry } from './clients/registry.js'
export type {
  ClientConfig,
  ClientRegistry,
  GrantType,
  RegisteredClient,
  TokenEndpointAuthMethod,
} from './clients/types.js'
export { createIntrospectionEndpoint, type IntrospectionEndpointOptions } from './endpoints/introspection.js'
export { type JwksHandlerOptions, jwksHandler } from './endpoints/jwks.js'
export { createMetadataEndpoint, type MetadataEndpointOptions } from './endpoints/metadata.js'
export { createRevocationEndpoint, type RevocationEndpointOptions } from './endpoints/revocation.js'
export {
  createTokenEndpoint,
  type TokenEndpoint,
  type TokenEndpointObserver,
  type TokenEndpointOptions,
  type TokenRequestOutcome,
} from './endpoints/token.js'
export { type OAuthCovetCode, OAuthError, type OAuthErrorCode } from './errors.js'
export {
  type ClientCredentialsFlowOptions,
  type ClientCredentialsToken,
  OAuth2ClientCredentialsFlow,
} from './flows/client-credentials.js'
export { OAuth2PasswordFlow, type PasswordFlowClient, type PasswordFlowOptions } from './flows/password.js'
export type { TokenResponseBody, VerifiedUser, VerifyUser } from './grants/types.js'
export { createMemoryLimiter, type MemoryLimiterOptions } from './limiter/memory.js'
