export { getAuth } from './auth-context.js'
export { extractBearerToken, type FoundToken, type TokenSources } from './bearer.js'
export { type BodyLimitOptions, DEFAULT_BODY_LIMIT, readBoundedText } from './body.js'
export { type BearerChallenge, bearerChallenge } from './challenge.js'
export type { OnErrorHook } from './error-options.js'
export type { DpopMode, WithJwtAuthOptions } from './options.js'
export {
  INTERNAL_ERROR_ANSWER,
  MALFORMED_REQUEST_ANSWER,
  type PlainAnswer,
  plainResponse,
  refusesMalformedRequests,
} from './plain-answers.js'
export { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem.js'
export {
  createProtectedResource,
  type ProtectedResource,
  type ProtectedResourceMetadata,
  type ProtectedResourceOptions,
} from './protected-resource.js'
export { isValidHost, requestPathname } from './request-target.js'
export { respondWithError } from './respond.js'
export { type ResponseConstructor, setResponseConstructor } from './response.js'
export { withJwtAuth } from './with-jwt-auth.js'
