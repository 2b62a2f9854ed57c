import type { VerifyUser } from '../grants/types.js'
import { USERS } from './fixtures.js'

/** A password check over `USERS` that counts the right and wrong passwords it saw, and yields like a real hash. */
export function countingVerifier() {
  const seen = { wrong: 0, right: 0 }
  const verifyUser: VerifyUser = async (username, password) => {
    const user = USERS[username]
    const right = user !== undefined && user.password === password
    if (right) seen.right++
    else seen.wrong++
    await new Promise((resolve) => setTimeout(resolve, 1))
    return right ? { subject: username, roles: user.roles } : null
  }
  return { seen, verifyUser }
}

/** How many responses had each status. */
export function statuses(responses: readonly Response[]): Record<number, number> {
  const count: Record<number, number> = {}
  for (const { status } of responses) count[status] = (count[status] ?? 0) + 1
  return count
}
