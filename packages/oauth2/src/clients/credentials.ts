import { invalidRequest } from '../errors.js'
import { decodeBase64 } from '../lib/base64.js'

/** How the client presented its credentials (RFC 7591 §2 names). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post'

export interface ClientCredentials {
  readonly clientId: string
  /** `undefined` when only an id was sent: authentication then fails with `invalid_client`. */
  readonly secret: string | undefined
  readonly method: ClientAuthMethod
}

const BASIC = /^basic[ ]+([A-Za-z0-9+/]+=*)[ ]*$/i

/**
 * The client credentials of a token, revocation or introspection request: HTTP Basic
 * (RFC 6749 §2.3.1, id and secret form-urlencoded first) or `client_id`/`client_secret` in the
 * body. `undefined` when none were sent; `invalid_request` when they are malformed or when both
 * ways are used at once (RFC 6749 §2.3: one method per request).
 */
export function readClientCredentials(
  request: Request,
  form: ReadonlyMap<string, string>,
): ClientCredentials | undefined {
  const authorization = request.headers.get('authorization')
  const bodyId = form.get('client_id')
  const bodySecret = form.get('client_secret')
  if (authorization !== null && /^basic(?: |$)/i.test(authorization)) {
    const basic = parseBasic(authorization)
    if (bodySecret !== undefined || (bodyId !== undefined && bodyId !== basic.clientId)) {
      throw invalidRequest('Client credentials must be sent one way only (RFC 6749 §2.3)')
    }
    return { ...basic, method: 'client_secret_basic' }
  }
  if (bodyId === undefined) {
    if (bodySecret !== undefined) throw invalidRequest('client_secret was sent without client_id')
    return undefined
  }
  return { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' }
}

function parseBasic(header: string): { clientId: string; secret: string | undefined } {
  const bytes = decodeBase64(BASIC.exec(header)?.[1] ?? '')
  const decoded = bytes && decodeUtf8(bytes)
  const colon = decoded?.indexOf(':') ?? -1
  if (decoded === undefined || colon < 0) throw malformed()
  // RFC 6749 §2.3.1: id and secret are form-urlencoded (Appendix B) before Basic encoding.
  const clientId = formDecode(decoded.slice(0, colon))
  const secret = formDecode(decoded.slice(colon + 1))
  if (clientId === undefined || secret === undefined || clientId === '') throw malformed()
  return { clientId, secret: secret === '' ? undefined : secret }
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

function malformed() {
  return invalidRequest('The Basic authorization header is malformed')
}
