import { formatValue } from './svg.mjs'

/** One markdown table with padded columns (the layout Biome's formatter writes). */
function table(header, rows) {
  const cells = [header, ...rows]
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)))
  const line = (row) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/**
 * The same panels as markdown tables, one per panel, for the README.
 * @param {{ title: string, unit: string, bars: { label: string, value: number }[] }[]} panels
 * @returns {string}
 */
export function renderMarkdown(panels) {
  return panels
    .map((panel) => {
      const value = (bar) => (panel.unit === '×' ? bar.value.toFixed(2) : formatValue(bar.value))
      const rows = panel.bars.map((bar) => [bar.label.replaceAll('|', '\\|'), value(bar)])
      return `### ${panel.title}\n\n${table(['', panel.unit], rows)}\n`
    })
    .join('\n')
}
