/** Why a metadata or key set document could not be used; the message names the URL, never a token. */
export class DocumentFetchError extends Error {
  override readonly name = 'DocumentFetchError'
  constructor(
    message: string,
    options?: { cause?: unknown },
    /** The HTTP status, when the server answered one other than 2xx. */
    readonly status?: number,
  ) {
    super(message, options)
  }
}

/** A JSON document fetched over HTTP, with its response headers. */
export interface FetchedJson {
  readonly body: unknown
  readonly headers: Headers
}

/**
 * GETs `url` and parses its JSON body, within `timeoutMs` for the whole exchange (connection,
 * headers and body). Rejects with `DocumentFetchError` on a non-2xx status or a body that is not
 * a JSON object, and with the runtime's error on a network failure or the timeout.
 */
export async function fetchJson(url: URL, timeoutMs: number): Promise<FetchedJson> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  })
  if (!response.ok) {
    await response.body?.cancel()
    throw new DocumentFetchError(
      `${url.origin}${url.pathname} answered HTTP ${response.status}`,
      undefined,
      response.status,
    )
  }
  let body: unknown
  try {
    body = await response.json()
  } catch (cause) {
    if (!(cause instanceof SyntaxError)) throw cause
    throw new DocumentFetchError(`${url.origin}${url.pathname} did not answer JSON`, { cause })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DocumentFetchError(`${url.origin}${url.pathname} did not answer a JSON object`)
  }
  return { body, headers: response.headers }
}
