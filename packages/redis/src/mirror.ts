import type { TokenRef } from '@covet/core'
import type { RevocationKind } from './keys.js'

/** One revocation as written to Redis and announced on the channel. Times in ms since the epoch. */
export interface MirrorEntry {
  kind: RevocationKind
  id: string
  /** When the entry may be forgotten. */
  expiresAtMs: number
  /** For subjects: tokens issued at or before this Unix second are revoked. */
  issuedBefore?: number | undefined
}

/**
 * The local copy of every live revocation, so `isRevoked` answers from memory. Entries are only
 * ever added (a revocation cannot be undone), so applying the same entry twice or out of order is
 * harmless: the union of the snapshot and the messages is the state.
 */
export class RevocationMirror {
  readonly #tokens = new Map<string, number>()
  readonly #families = new Map<string, number>()
  readonly #subjects = new Map<string, { expiresAtMs: number; issuedBefore: number }>()

  get size(): number {
    return this.#tokens.size + this.#families.size + this.#subjects.size
  }

  add(entry: MirrorEntry): void {
    if (entry.kind === 's') {
      const previous = this.#subjects.get(entry.id)
      const issuedBefore = entry.issuedBefore ?? Number.NEGATIVE_INFINITY
      this.#subjects.set(entry.id, {
        expiresAtMs: Math.max(entry.expiresAtMs, previous?.expiresAtMs ?? 0),
        issuedBefore: Math.max(issuedBefore, previous?.issuedBefore ?? Number.NEGATIVE_INFINITY),
      })
      return
    }
    const map = entry.kind === 'j' ? this.#tokens : this.#families
    map.set(entry.id, Math.max(entry.expiresAtMs, map.get(entry.id) ?? 0))
  }

  isRevoked(token: TokenRef, nowMs: number): boolean {
    if (token.jti !== undefined && live(this.#tokens.get(token.jti), nowMs)) return true
    if (token.fid !== undefined && live(this.#families.get(token.fid), nowMs)) return true
    const subject = this.#subjects.get(token.sub)
    return subject !== undefined && live(subject.expiresAtMs, nowMs) && token.iat <= subject.issuedBefore
  }

  /** Forget expired entries; called from a timer so memory follows the live state. */
  sweep(nowMs: number): void {
    for (const [id, at] of this.#tokens) if (at <= nowMs) this.#tokens.delete(id)
    for (const [id, at] of this.#families) if (at <= nowMs) this.#families.delete(id)
    for (const [id, s] of this.#subjects) if (s.expiresAtMs <= nowMs) this.#subjects.delete(id)
  }

  clear(): void {
    this.#tokens.clear()
    this.#families.clear()
    this.#subjects.clear()
  }
}

function live(expiresAtMs: number | undefined, nowMs: number): boolean {
  return expiresAtMs !== undefined && expiresAtMs > nowMs
}

/** Parse an invalidation message (`[member, value, expiresAtMs]` as JSON); `undefined` if foreign. */
export function parseMessage(message: string): MirrorEntry | undefined {
  try {
    const parsed: unknown = JSON.parse(message)
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined
    const [member, value, at] = parsed as unknown[]
    if (typeof member !== 'string') return undefined
    return parseMember(member, Number(at), value)
  } catch {
    return undefined
  }
}

/** An index member `<kind>:<id>` with its expiry and, for subjects, the stored `issuedBefore`. */
export function parseMember(member: string, expiresAtMs: number, value?: unknown): MirrorEntry | undefined {
  const kind = member.slice(0, 1)
  if ((kind !== 'j' && kind !== 'f' && kind !== 's') || member[1] !== ':') return undefined
  if (!Number.isFinite(expiresAtMs)) return undefined
  const id = member.slice(2)
  if (kind !== 's') return { kind, id, expiresAtMs }
  const issuedBefore = Number(value)
  return Number.isFinite(issuedBefore) ? { kind, id, expiresAtMs, issuedBefore } : undefined
}
