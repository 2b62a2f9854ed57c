import type { KeySpace } from './keys.js'
import type { MirrorEntry } from './mirror.js'
import { parseMember } from './mirror.js'

const PAGE = '1000'

/**
 * Read every live revocation from the index into `add`. ZSCAN returns every member present for
 * the whole scan, whatever is written meanwhile; members added during the scan are also announced
 * on the channel, which the caller subscribed to before calling this. Each page has its own
 * deadline (in `send`), so a large snapshot is never cut short by a total time limit.
 * @see https://redis.io/docs/latest/commands/scan/#scan-guarantees
 */
export async function loadSnapshot(
  send: (args: string[]) => Promise<unknown>,
  keys: KeySpace,
  nowMs: number,
  add: (entry: MirrorEntry) => void,
): Promise<number> {
  let cursor = '0'
  let count = 0
  do {
    const reply = (await send(['ZSCAN', keys.index, cursor, 'COUNT', PAGE])) as [string, string[]]
    cursor = String(reply[0])
    const flat = reply[1]
    const subjects: { member: string; at: number }[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = String(flat[i])
      const at = Number(flat[i + 1])
      if (!(at > nowMs)) continue
      if (member.startsWith('s:')) {
        subjects.push({ member, at })
        continue
      }
      const entry = parseMember(member, at)
      if (entry) {
        add(entry)
        count++
      }
    }
    count += await loadSubjects(send, keys, subjects, add)
  } while (cursor !== '0')
  return count
}

/** A subject's `issuedBefore` lives in its entry key; every entry key shares one slot, so MGET works. */
async function loadSubjects(
  send: (args: string[]) => Promise<unknown>,
  keys: KeySpace,
  subjects: { member: string; at: number }[],
  add: (entry: MirrorEntry) => void,
): Promise<number> {
  if (subjects.length === 0) return 0
  const values = (await send(['MGET', ...subjects.map((s) => keys.entry('s', s.member.slice(2)))])) as (
    | string
    | null
  )[]
  let count = 0
  subjects.forEach((s, i) => {
    const value = values[i]
    if (value === null || value === undefined) return
    const entry = parseMember(s.member, s.at, value)
    if (entry) {
      add(entry)
      count++
    }
  })
  return count
}
