import { expect, it } from 'vitest'
import * as entry from './entry.js'
import * as adapter from './index.js'

// package.json maps `@covet/adapters/node` to entry.js at run time and to index.d.ts for types.
it('exports at run time exactly the values the adapter (and so its types) exports', () => {
  expect({ ...entry }).toStrictEqual({ ...adapter })
})
