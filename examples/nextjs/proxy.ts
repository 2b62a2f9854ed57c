/**
 * Runs before every route (Node.js runtime): verifies the token with the app's own rules, answers
 * 401/400/403 itself, and forwards the identity to route handlers in a signed header.
 */
import { createJwtProxy } from '@covet/adapters/next'
import { guard } from '@covet/example-app'

export const proxy = createJwtProxy({
  ...guard,
  exemptPaths: [...(guard.exemptPaths ?? []), '/api/hello'],
})
