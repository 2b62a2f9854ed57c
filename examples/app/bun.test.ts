import { runtimeSuite } from './test-support/suite.js'

runtimeSuite('bun', { resolvesDotSegments: true })
