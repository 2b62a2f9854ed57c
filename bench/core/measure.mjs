/**
 * The measuring half of `pnpm bench:core`, run as a child process so that its threads can be
 * pinned to one CPU (see `run.mjs`). Reads `{ material, groups: [{ keys, settings }] }` as JSON
 * on standard input, measures each group with `measureGroup` and writes the figures, case by
 * case, as JSON on standard output.
 */
import { text } from 'node:stream/consumers'
import { measureGroup } from './harness.mjs'

const { material, groups } = JSON.parse(await text(process.stdin))
const figures = []
for (const { keys, settings } of groups) figures.push(...(await measureGroup(keys, material, settings)))
process.stdout.write(JSON.stringify(figures))
