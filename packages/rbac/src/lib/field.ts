/** `field.key`, `field["odd key"]` or `field[1]`: a readable path into a policy object. */
export function appendKey(field: string, key: unknown): string {
  if (typeof key === 'number') return `${field}[${key}]`
  if (typeof key !== 'string') return field
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${field}[${JSON.stringify(key)}]`
  return field === '' ? key : `${field}.${key}`
}

/** The path of a field under a role, e.g. `roles.editor.parents[1]`. */
export function roleField(role: string, ...keys: (string | number)[]): string {
  return keys.reduce<string>(appendKey, appendKey('roles', role))
}
