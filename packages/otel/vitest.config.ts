import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'otel',
    include: ['src/**/*.test.ts'],
    // One test runs a Bun process that instruments Covet with the real SDK.
    testTimeout: 30_000,
  },
})
