/** A delta-seconds value (RFC 9111 §1.2.2): digits only, optionally quoted by lenient servers. */
const DELTA_SECONDS = /^"?(\d{1,10})"?$/

/**
 * How long a response may be used, in milliseconds, as its `Cache-Control` says: `max-age` less
 * the response's `Age`; 0 for `no-store` or `no-cache`; `undefined` when it says neither.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.1 max-age
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.3 age
 */
export function freshnessMs(headers: Headers): number | undefined {
  const cacheControl = headers.get('cache-control')
  if (cacheControl === null) return undefined
  let maxAge: number | undefined
  for (const directive of cacheControl.split(',')) {
    const equals = directive.indexOf('=')
    const name = (equals === -1 ? directive : directive.slice(0, equals)).trim().toLowerCase()
    // RFC 9111 §5.2.2.4, §5.2.2.5: the response may not be reused without revalidation.
    if (name === 'no-store' || name === 'no-cache') return 0
    if (name !== 'max-age' || equals === -1) continue
    const value = DELTA_SECONDS.exec(directive.slice(equals + 1).trim())
    // RFC 9111 §4.2.1: an invalid max-age is ignored; a repeated one makes the response stale.
    if (value === null) continue
    if (maxAge !== undefined) return 0
    maxAge = Number(value[1])
  }
  if (maxAge === undefined) return undefined
  const age = DELTA_SECONDS.exec(headers.get('age')?.trim() ?? '')
  return Math.max(0, maxAge - (age === null ? 0 : Number(age[1]))) * 1000
}
