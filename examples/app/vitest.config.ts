import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'runtimes',
    include: ['*.test.ts'],
    globalSetup: ['test-support/global-setup.ts'],
    // Each file spawns a real runtime; give it room to start (next build takes 10–15 s).
    hookTimeout: 120_000,
    testTimeout: 15_000,
  },
})
