import { runtimeSuite } from './test-support/suite.js'

runtimeSuite('bun', {
  resolvesDotSegments: true,
  brokenRequestLineStatus: 505,
  closesLowerCaseMethods: true,
  closesConnect: 'without a target',
})
