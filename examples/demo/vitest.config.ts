import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'demo',
    include: ['src/**/*.test.ts'],
    // The suite starts the demo as the README does (pnpm through npx, then a turbo build).
    hookTimeout: 180_000,
    testTimeout: 30_000,
  },
})
