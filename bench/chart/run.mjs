/**
 * `pnpm --filter @covet/bench chart`: reads every bench/results/*.json the benchmarks wrote and
 * draws them as one SVG bar chart, docs/bench.svg (Covet's bars in blue, others in grey), with
 * the same figures as markdown tables in docs/bench.md. An argument replaces the SVG's path.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toPanels } from './normalize.mjs'
import { renderSvg } from './svg.mjs'
import { renderMarkdown } from './table.mjs'

const bench = fileURLToPath(new URL('..', import.meta.url))
const resultsDir = join(bench, 'results')
const out = process.argv[2] ?? join(bench, '..', 'docs', 'bench.svg')

let files
try {
  files = (await readdir(resultsDir)).filter((name) => name.endsWith('.json')).sort()
} catch {
  console.error('No bench/results directory: run a benchmark first (pnpm bench:core, bench:http, …).')
  process.exit(1)
}
const panels = []
let node
for (const file of files) {
  const data = JSON.parse(await readFile(join(resultsDir, file), 'utf8'))
  node ??= data.node
  panels.push(...toPanels(file, data))
}
if (panels.length === 0) {
  console.error('No benchmark figures found in bench/results/*.json.')
  process.exit(1)
}
const subtitle = [node && `Node ${node}`, `${files.length} result files`].filter(Boolean).join(', ')
await writeFile(out, renderSvg(panels, { subtitle }))
const tables = out.replace(/\.svg$/, '.md')
await writeFile(
  tables,
  `# Benchmark figures\n\n${subtitle}. Drawn in bench.svg.\n\n${renderMarkdown(panels)}`,
)
console.log(
  `wrote ${out} and ${tables}: ${panels.length} panels, ${panels.reduce((n, p) => n + p.bars.length, 0)} bars`,
)
