// Prints vitest's JSON results as the plain closing line CI reads: "N passed, N failed".
// `node summary.mjs file` prints that line for one run. `node summary.mjs node20=a.json node24=b.json`
// prints "node20: N passed, N failed" per run, then the closing line summing them.
import { existsSync, readFileSync } from 'node:fs'

/** A run whose results file is missing (it stopped before vitest wrote it) counts as one failure. */
function count(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 }
  const results = JSON.parse(readFileSync(file, 'utf8'))
  // A file that failed to load counts as a failure even though none of its tests ran.
  const brokenFiles = (results.testResults ?? []).filter(
    (file) => file.status === 'failed' && !file.assertionResults?.some((test) => test.status === 'failed'),
  ).length
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests + brokenFiles,
    skipped: (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0),
  }
}

const line = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`

const args = process.argv.slice(2)
const runs = (args.length ? args : ['.vitest-results.json']).map((arg) => {
  const at = arg.indexOf('=')
  return at === -1 ? { label: undefined, file: arg } : { label: arg.slice(0, at), file: arg.slice(at + 1) }
})
const total = { passed: 0, failed: 0, skipped: 0 }
for (const run of runs) {
  const counts = count(run.file)
  if (run.label !== undefined) console.log(`${run.label}: ${line(counts)}`)
  for (const key of Object.keys(total)) total[key] += counts[key]
}
console.log(line(total))
