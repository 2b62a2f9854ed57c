const EMPTY: readonly string[] = Object.freeze([])

/**
 * A `roles` or `permissions` claim as a list of strings. Anything else (a string, an object, a
 * number, nested arrays, an array holding one non-string) grants nothing: the empty list.
 */
export function stringList(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return EMPTY
  for (const item of value) if (typeof item !== 'string') return EMPTY
  return value as string[]
}
