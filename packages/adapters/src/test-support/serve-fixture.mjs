// A process serving one slow route through the built Node adapter, for the shutdown test.
import { serve } from '../../dist/node/index.js'

await serve(
  async () => {
    await new Promise((resolve) => setTimeout(resolve, 300))
    return new Response('finished')
  },
  { onListen: ({ port }) => console.log(port) },
)
