// Prints vitest's JSON results as the plain closing line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.vitest-results.json'
if (!existsSync(file)) {
  console.log('0 passed, 1 failed')
  process.exit(0)
}
const results = JSON.parse(readFileSync(file, 'utf8'))
// A file that failed to load counts as a failure even though none of its tests ran.
const brokenFiles = (results.testResults ?? []).filter(
  (file) => file.status === 'failed' && !file.assertionResults?.some((test) => test.status === 'failed'),
).length
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0)
const failed = results.numFailedTests + brokenFiles
console.log(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
