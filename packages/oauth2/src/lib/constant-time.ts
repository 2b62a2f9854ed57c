/**
 * Compares two byte strings in time that depends only on their lengths, never on where they
 * differ. Callers compare fixed-length digests, so the lengths tell nothing about a secret.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length)
  let difference = a.length ^ b.length
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}
