/** How long the diagnostic request for an answer's status may take. */
const PROBE_TIMEOUT_MS = 5_000

/**
 * Why a remote JWK Set could not be had, naming the URL (without credentials or query, which may
 * hold secrets) and the cause: `the key set at https://… is unavailable: connect ECONNREFUSED …`.
 *
 * @example
 * await describeKeySetOutage('https://issuer.example/jwks', error)
 */
export async function describeKeySetOutage(url: string, error: unknown): Promise<string> {
  const where = shown(url)
  // A cause may quote the URL as given, credentials and all.
  const text = (await cause(url, error)).replaceAll(url, where).replaceAll(new URL(url).href, where)
  return `the key set at ${where} is unavailable: ${text}`
}

function shown(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}

async function cause(url: string, error: unknown): Promise<string> {
  let inner = error as Error & { code?: unknown; errors?: unknown[] }
  // Down to what happened (a refused connection, a DNS failure), stopping above a JSON parser's
  // message, which quotes the answer's body.
  while (inner.cause instanceof Error && !(inner.cause instanceof SyntaxError)) {
    inner = inner.cause as typeof inner
  }
  if (inner.message === '' && Array.isArray(inner.errors) && inner.errors[0] instanceof Error) {
    return inner.errors[0].message
  }
  // jose refuses any answer but 200 without saying which it was: ask once more to name it.
  if (inner.code === 'ERR_JOSE_GENERIC' && inner.cause === undefined) {
    const status = await probe(url)
    if (status !== undefined) return status
  }
  return inner.message || String(inner.code ?? 'unknown error')
}

async function probe(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json, application/jwk-set+json' },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
    await response.body?.cancel()
    if (response.status === 200) return undefined
    const location = response.headers.get('location')
    return location === null
      ? `HTTP ${response.status}`
      : `HTTP ${response.status}, a redirect (not followed)`
  } catch {
    return undefined
  }
}
