import { startDemo } from './demo.js'

// The process entry point (`pnpm demo`): a start-up failure prints why and exits 1, never with a key in it.
try {
  await startDemo({ env: process.env, metrics: process.argv.slice(2).includes('--metrics') })
} catch (error) {
  const code = (error as { code?: unknown }).code
  console.error(
    `covet-demo: cannot start: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`,
  )
  process.exitCode = 1
}
