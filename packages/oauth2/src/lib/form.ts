import { invalidRequest } from '../errors.js'

/** Bodies larger than this are refused: every parameter these endpoints read is short. */
export const MAX_FORM_BYTES = 16 * 1024

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2) into a map of parameters.
 * Throws `invalid_request` for another media type, an oversized body, or a repeated parameter.
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
  const text = await readText(request, maxBytes)
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

async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) throw tooLarge()
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

function tooLarge() {
  return invalidRequest('The request body is too large')
}
