import { runtimeSuite } from './test-support/suite.js'

// The shared app handed straight to Bun.serve, with no Covet adapter in front: withJwtAuth alone must hold.
runtimeSuite('bun-plain', {
  noAdapter: true,
  resolvesDotSegments: true,
  brokenRequestLineStatus: 505,
  closesLowerCaseMethods: true,
  closesConnect: 'without a target',
})
