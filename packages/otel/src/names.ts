/**
 * The names `@covet/otel` records under, in the OpenTelemetry semantic-convention style: a
 * `covet.` namespace, dots between levels, units in UCUM (`s`, `1`, `{token}`). Every attribute
 * value is drawn from a small closed set (a token type, a failure reason, an error code) or names
 * a registered client: never a token, a secret, a username or a subject.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/general/naming/
 */
export const METRICS = Object.freeze({
  tokensIssued: 'covet.tokens.issued',
  verifications: 'covet.verifications',
  verifyDuration: 'covet.verify.duration',
  refreshRotations: 'covet.refresh.rotations',
  refreshReuse: 'covet.refresh.reuse_detections',
  revocations: 'covet.revocations',
  tokenRequests: 'covet.oauth2.token.requests',
  tokenDuration: 'covet.oauth2.token.duration',
  loginFailures: 'covet.oauth2.login.failures',
  lockouts: 'covet.oauth2.lockouts',
  storeErrors: 'covet.store.errors',
  storeDuration: 'covet.store.operation.duration',
  storeSize: 'covet.store.size',
  storeCoherent: 'covet.store.coherent',
  cacheSize: 'covet.cache.size',
  cacheHitRatio: 'covet.cache.hit_ratio',
  keyRetireIn: 'covet.key.retire_in',
} as const)

export const SPANS = Object.freeze({
  verify: 'covet.verify',
  token: 'covet.oauth2.token',
} as const)

export const ATTRIBUTES = Object.freeze({
  tokenType: 'covet.token.type',
  grantType: 'covet.oauth2.grant_type',
  clientId: 'covet.client.id',
  outcome: 'covet.outcome',
  reason: 'covet.failure.reason',
  errorType: 'error.type',
  cacheHit: 'covet.cache.hit',
  revocationTarget: 'covet.revocation.target',
  oauthError: 'covet.oauth2.error',
  statusCode: 'http.response.status_code',
  storeOperation: 'covet.store.operation',
  storeFallback: 'covet.store.fallback',
  keyId: 'covet.key.id',
} as const)
