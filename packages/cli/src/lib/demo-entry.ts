import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the demo of a Covet clone is: its folder, and its built entry once built. */
export interface DemoLocation {
  readonly folder: string
  readonly entry: string | undefined
}

/**
 * The demo (`examples/demo`) of the clone this command runs from or the working directory is in;
 * `undefined` for a CLI installed from the registry and run elsewhere.
 */
export function findDemo(cwd = process.cwd()): DemoLocation | undefined {
  for (const start of [dirname(fileURLToPath(import.meta.url)), cwd]) {
    let dir = resolve(start)
    for (;;) {
      const folder = join(dir, 'examples', 'demo')
      if (existsSync(join(folder, 'package.json'))) {
        const entry = join(folder, 'dist', 'demo.js')
        return { folder, entry: existsSync(entry) ? entry : undefined }
      }
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  return undefined
}
