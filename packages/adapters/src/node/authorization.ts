/**
 * Every `Authorization` value of a Node request joined with ", " (as Fetch joins repeated headers)
 * when there are several; `undefined` for one or none. Node's `req.headers` keeps only the first.
 * Scans `rawHeaders` instead of `headersDistinct`, which builds an object of every header.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.3
 */
export function repeatedAuthorization(raw: string[]): string | undefined {
  return repeatedHeader(raw, 'authorization')
}

/** Every value of the header `lowerName` joined with ", " when it was sent more than once. */
export function repeatedHeader(raw: string[], lowerName: string): string | undefined {
  let joined: string | undefined
  let count = 0
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
      joined = count++ === 0 ? raw[i + 1] : `${joined}, ${raw[i + 1]}`
    }
  }
  return count > 1 ? joined : undefined
}
