import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'consumer',
    include: ['*.test.ts'],
    // Packs every package and installs the tarballs with npm into a temporary app, once.
    globalSetup: ['support/global-setup.ts'],
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
})
