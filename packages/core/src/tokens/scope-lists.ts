/** Scope strings repeat across an issuer's tokens: at most this many distinct ones are remembered. */
const MAX_REMEMBERED_SCOPES = 256

const NO_SCOPES: readonly string[] = Object.freeze([])

/**
 * A memo of split scope strings, owned by one `JwtAuth`: each distinct `scope` claim is split once
 * (RFC 6749 §3.3: scope tokens separated by single spaces; stray empty ones are dropped) into a
 * frozen list shared by every result that carries it.
 */
export class ScopeLists {
  readonly #lists = new Map<string, readonly string[]>()

  /** The scope tokens of `scope`; empty for anything but a string. */
  of(scope: unknown): readonly string[] {
    if (typeof scope !== 'string') return NO_SCOPES
    let scopes = this.#lists.get(scope)
    if (scopes === undefined) {
      const parts = scope.split(' ')
      scopes = Object.freeze(parts.includes('') ? parts.filter(Boolean) : parts)
      if (this.#lists.size < MAX_REMEMBERED_SCOPES) this.#lists.set(scope, scopes)
    }
    return scopes
  }
}
