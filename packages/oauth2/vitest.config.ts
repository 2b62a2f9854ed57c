import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'oauth2',
    include: ['src/**/*.test.ts'],
  },
})
