/** Every path of the shared app, protected by the same options as on the other runtimes. */
import { toRouteHandler } from '@covet/adapters/next'
import { app } from '@covet/example-app'

// `app` is core's withJwtAuth(routes, guard); toRouteHandler adds what `serve` adds elsewhere.
const handler = toRouteHandler(app)

export {
  handler as DELETE,
  handler as GET,
  handler as HEAD,
  handler as OPTIONS,
  handler as PATCH,
  handler as POST,
  handler as PUT,
}
