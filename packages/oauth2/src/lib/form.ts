import { DEFAULT_BODY_LIMIT, readBoundedText } from '@covet/core'
import { invalidRequest } from '../errors.js'

/** Bodies larger than this are refused: every parameter these endpoints read is short. */
export const MAX_FORM_BYTES = DEFAULT_BODY_LIMIT

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2) into a map of parameters,
 * through core's bounded reader. Throws `invalid_request` for another media type or a repeated
 * parameter, and `BodyTooLargeError` (413) for a body over `maxBytes`, declared or not.
 */
export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<Map<string, string>> {
  const [mediaType = '', ...parameters] = (request.headers.get('content-type') ?? '').split(';')
  if (mediaType.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    throw invalidRequest('The request body must be application/x-www-form-urlencoded')
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=')
    // RFC 6749 Appendix B: the body is UTF-8; refuse any other declared charset.
    if (name.trim().toLowerCase() === 'charset' && !/^"?utf-8"?$/i.test(value.trim())) {
      throw invalidRequest('The request body must be encoded in UTF-8')
    }
  }
  const text = await readBoundedText(request, { limit: maxBytes })
  const form = new Map<string, string>()
  for (const [name, value] of new URLSearchParams(text)) {
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    if (value === '') continue
    // RFC 6749 §3.1, §3.2: request parameters must not be included more than once.
    if (form.has(name)) throw invalidRequest('Request parameters must not be repeated')
    form.set(name, value)
  }
  return form
}
