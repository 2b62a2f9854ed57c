// `pnpm release --dry-run`: build, publint and pack every published package, then run the consumer
// test (examples/consumer) on those very tarballs. Without --dry-run, publish them afterwards with
// `changeset publish` (run `pnpm changeset version` and commit first: see docs/releasing.md).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packAll, pnpmCommand, ROOT } from './pack.mjs'

const args = process.argv.slice(2)
const unknown = args.filter((arg) => arg !== '--dry-run')
if (unknown.length > 0) {
  console.error(`release: unknown option ${unknown.join(' ')} (usage: pnpm release [--dry-run])`)
  process.exit(2)
}
const dryRun = args.includes('--dry-run')

const [pnpm, ...prefix] = pnpmCommand()
const step = (title, commandArgs, env = {}) => {
  console.log(`\n▶ ${title}`)
  execFileSync(pnpm, [...prefix, ...commandArgs], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
}

const destination = mkdtempSync(join(tmpdir(), 'covet-release-'))
try {
  step('build', ['exec', 'turbo', 'run', 'build', '--filter=./packages/*'])
  step('publint', ['exec', 'turbo', 'run', 'publint', '--filter=./packages/*'])
  console.log('\n▶ pack')
  const packed = packAll(destination)
  for (const { name, version, tarball } of packed) {
    console.log(`  ${name}@${version}  ${(statSync(tarball).size / 1024).toFixed(1)} kB`)
  }
  step('consumer test on the packed tarballs', ['--filter', '@covet/example-consumer', 'test'], {
    COVET_PACKED: destination,
  })
  if (dryRun) {
    console.log('\nDry run: every package packed and passed the consumer test; nothing was published.')
  } else {
    step('publish', ['exec', 'changeset', 'publish'])
  }
} finally {
  rmSync(destination, { recursive: true, force: true })
}
