import { runtimeSuite } from './test-support/suite.js'

runtimeSuite('node', { problemsOnly: true })
