import { runtimeSuite } from './test-support/suite.js'

runtimeSuite('deno', { hidesMissingHost: true })
