import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { expect, inject, it } from 'vitest'
import { run } from './support/consumer.js'

const appDir = inject('appDir')
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc')

it('type-checks a strict consumer of every entry point with lib es2022, @types/node and skipLibCheck off', () => {
  // fixture/tsconfig.json: no DOM lib, so only @types/node's globals; run() throws tsc's errors.
  expect(run(process.execPath, [tsc, '-p', join(appDir, 'tsconfig.json')], appDir)).toBe('')
}, 120_000) // skipLibCheck off: tsc checks all of @types/node too
