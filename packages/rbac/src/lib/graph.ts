/** Read access to a role graph: each role's direct parents. */
export type ParentsOf = (role: string) => readonly string[]

const ON_PATH = 1
const DONE = 2

/**
 * The first inheritance cycle reachable from `starts`, as `[a, b, …, a]` (each role inheriting
 * from the next), or `undefined`. Iterative depth-first search, so deep hierarchies cannot
 * overflow the stack. `settled(role)` may declare a role cycle-free without visiting it (a role
 * whose known ancestors include none of the changed roles).
 */
export function findCycle(
  starts: Iterable<string>,
  parentsOf: ParentsOf,
  settled: (role: string) => boolean,
): string[] | undefined {
  const state = new Map<string, number>()
  const path: string[] = []
  const next: number[] = []
  for (const start of starts) {
    if (state.has(start)) continue
    state.set(start, ON_PATH)
    path.push(start)
    next.push(0)
    while (path.length > 0) {
      const top = path.length - 1
      const role = path[top]!
      const parents = parentsOf(role)
      const index = next[top]!
      if (index === parents.length) {
        state.set(role, DONE)
        path.pop()
        next.pop()
        continue
      }
      next[top] = index + 1
      const parent = parents[index]!
      const seen = state.get(parent)
      if (seen === ON_PATH) return [...path.slice(path.indexOf(parent)), parent]
      if (seen === DONE) continue
      if (settled(parent)) {
        state.set(parent, DONE)
        continue
      }
      state.set(parent, ON_PATH)
      path.push(parent)
      next.push(0)
    }
  }
  return undefined
}

/**
 * `roles` ordered so that every role comes after those of its parents that are also in `roles`
 * (the graph must be acyclic). Iterative post-order walk over parents.
 */
export function parentsFirst(roles: ReadonlySet<string>, parentsOf: ParentsOf): string[] {
  const order: string[] = []
  const visited = new Set<string>()
  for (const start of roles) {
    if (visited.has(start)) continue
    visited.add(start)
    const path = [start]
    const next = [0]
    while (path.length > 0) {
      const top = path.length - 1
      const role = path[top]!
      const parents = parentsOf(role)
      const index = next[top]!
      if (index === parents.length) {
        order.push(role)
        path.pop()
        next.pop()
        continue
      }
      next[top] = index + 1
      const parent = parents[index]!
      if (!roles.has(parent) || visited.has(parent)) continue
      visited.add(parent)
      path.push(parent)
      next.push(0)
    }
  }
  return order
}

/** `roles` and every role that inherits from one of them, directly or not. */
export function withDescendants(
  roles: Iterable<string>,
  childrenOf: (role: string) => Iterable<string>,
): Set<string> {
  const found = new Set(roles)
  const queue = [...found]
  for (let i = 0; i < queue.length; i++) {
    for (const child of childrenOf(queue[i]!)) {
      if (found.has(child)) continue
      found.add(child)
      queue.push(child)
    }
  }
  return found
}
