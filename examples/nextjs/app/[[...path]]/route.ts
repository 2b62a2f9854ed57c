/** Every path of the shared app, protected by the same options as on the other runtimes. */
import { toRouteHandler } from '@covet/adapters/next'
import { withJwtAuth } from '@covet/core'
import { guard, routes } from '@covet/example-app'

const handler = toRouteHandler(withJwtAuth(routes, guard))

export {
  handler as DELETE,
  handler as GET,
  handler as HEAD,
  handler as OPTIONS,
  handler as PATCH,
  handler as POST,
  handler as PUT,
}
