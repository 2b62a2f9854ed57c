/**
 * Why a remote JWK Set could not be had, naming the URL (without credentials or query, which may
 * hold secrets) and the cause: `the key set at https://… is unavailable: connect ECONNREFUSED …`,
 * or, when the cause names the URL itself, `the key set is unavailable: https://… answered HTTP 503`.
 *
 * @example
 * describeKeySetOutage('https://issuer.example/jwks', error)
 */
export function describeKeySetOutage(url: string, error: unknown): string {
  const parsed = new URL(url)
  const where = `${parsed.origin}${parsed.pathname}`
  // A cause may quote the URL as given, credentials and all.
  const text = cause(error).replaceAll(url, where).replaceAll(parsed.href, where)
  return text.startsWith(`${where} `)
    ? `the key set is unavailable: ${text}`
    : `the key set at ${where} is unavailable: ${text}`
}

function cause(error: unknown): string {
  let inner = error as Error & { code?: unknown; errors?: unknown[] }
  // Down to what happened (a refused connection, a DNS failure, an HTTP status), stopping above a
  // JSON parser's message, which quotes the answer's body.
  while (inner.cause instanceof Error && !(inner.cause instanceof SyntaxError)) {
    inner = inner.cause as typeof inner
  }
  if (inner.message === '' && Array.isArray(inner.errors) && inner.errors[0] instanceof Error) {
    return inner.errors[0].message
  }
  return inner.message || String(inner.code ?? 'unknown error')
}
