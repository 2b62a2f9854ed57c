import { runtimeSuite } from './test-support/suite.js'

// The shared app handed straight to Deno.serve, with no Covet adapter in front: withJwtAuth alone must hold.
runtimeSuite('deno-plain', { noAdapter: true, hidesMissingHost: true })
