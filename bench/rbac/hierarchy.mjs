/**
 * A synthetic role hierarchy: `levels` levels of `width` roles. A role inherits from the role in
 * its column one level up, and one role in ten also from the next column (diamonds), so a role at
 * the bottom has 20 levels above it. Each role holds three permissions of its own; a few high roles
 * hold `level0:*`-style wildcards. Deterministic: the same figures on every run.
 */
export function buildPolicy({ levels = 20, width = 500 } = {}) {
  const roles = {}
  for (let level = 0; level < levels; level++) {
    for (let column = 0; column < width; column++) {
      const parents = []
      if (level > 0) {
        parents.push(name(level - 1, column))
        if (column % 10 === 0) parents.push(name(level - 1, (column + 1) % width))
      }
      const permissions = [0, 1, 2].map((k) => `l${level}:c${column}:p${k}`)
      if (level === 1 && column % 50 === 0) permissions.push(`l0:c${column}:*`)
      roles[name(level, column)] = { permissions, parents }
    }
  }
  return { roles }
}

export function name(level, column) {
  return `role-${level}-${column}`
}

/** A small xorshift generator, so queries are the same on every run. */
export function random(seed) {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
}

/**
 * `count` checks `[roles, permission]` for roles at the bottom levels: about half name a
 * permission held somewhere up the role's column (granted), half one from another column (refused).
 */
export function buildQueries(count, { levels = 20, width = 500 } = {}) {
  const next = random(42)
  const queries = []
  for (let i = 0; i < count; i++) {
    const level = levels - 1 - Math.floor(next() * 3)
    const column = Math.floor(next() * width)
    const held = next() < 0.5
    const target = held ? column : (column + 250) % width
    const permission = `l${Math.floor(next() * level)}:c${target}:p${Math.floor(next() * 3)}`
    queries.push([[name(level, column)], permission])
  }
  return queries
}
