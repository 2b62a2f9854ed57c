/** Renders panels of horizontal bars as one standalone SVG document (no dependencies). */

const WIDTH = 960
const LABEL_WIDTH = 420
const BAR_AREA = WIDTH - LABEL_WIDTH - 120
const BAR_HEIGHT = 16
const GAP = 6
/** The height of each further line of a label too long for one. */
const LINE_HEIGHT = 14
/** About the most characters of a 12 px label that fit in its column: a longer label is wrapped. */
const LABEL_LINE_CHARACTERS = Math.floor((LABEL_WIDTH - 16) / 6.5)
/** Ratio panels draw bars up to this many times: the issue's targets lie near 1×, and a peer 27× slower would flatten them. */
export const RATIO_CAP = 3
const TITLE_HEIGHT = 34
const COLOURS = { covet: '#2f6fdf', other: '#9aa5b1' }

const escapeXml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  )

/** 1234567 → "1.23M", 48210 → "48.2k". */
export function formatValue(value) {
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`
  if (value >= 1e3) return `${(value / 1e3).toPrecision(3)}k`
  return value >= 100 ? String(Math.round(value)) : value.toPrecision(3)
}

/**
 * Bar length in [2, BAR_AREA]: linear, or log10 when the panel spans more than 50×; a ratio panel
 * (`×`) is linear up to RATIO_CAP, and a longer bar is drawn to the end of the area (`capped`).
 */
export function scaler(bars, unit) {
  const values = bars.map((bar) => bar.value).filter((value) => value > 0)
  if (unit === '×') {
    const top = Math.min(Math.max(...values, 1), RATIO_CAP)
    return {
      log: false,
      capped: values.some((value) => value > RATIO_CAP),
      length: (value) => Math.max(2, (Math.min(value, top) / top) * BAR_AREA),
    }
  }
  const max = Math.max(...values, 1)
  const min = Math.min(...values, max)
  if (max / min <= 50) return { log: false, length: (value) => Math.max(2, (value / max) * BAR_AREA) }
  const low = Math.log10(min) - 0.3
  const span = Math.log10(max) - low
  return {
    log: true,
    length: (value) => Math.max(2, ((Math.log10(Math.max(value, min)) - low) / span) * BAR_AREA),
  }
}

/** `label` in lines of at most `max` characters, broken between words (a longer word keeps a line of its own). */
export function wrapLabel(label, max = LABEL_LINE_CHARACTERS) {
  const lines = []
  let line = ''
  // A target's wanted figure, "(≥ 0.85)" or "(> 1)", stays on one line.
  for (const word of String(label).split(/ (?![\d.]+\)$)/)) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  lines.push(line)
  return lines
}

/**
 * @param {{ title: string, unit: string, bars: { label: string, value: number }[] }[]} panels
 * @param {{ subtitle?: string }} [options]
 * @returns {string}
 */
export function renderSvg(panels, options = {}) {
  const parts = []
  let y = 40
  parts.push(`<text x="16" y="26" class="h1">Covet benchmarks</text>`)
  if (options.subtitle) {
    parts.push(
      `<text x="${WIDTH - 16}" y="26" class="note" text-anchor="end">${escapeXml(options.subtitle)}</text>`,
    )
  }
  for (const panel of panels) {
    const scale = scaler(panel.bars, panel.unit)
    y += TITLE_HEIGHT
    const note = scale.log
      ? ' (log scale)'
      : scale.capped
        ? ` (bars stop at ${RATIO_CAP}×, the figures do not)`
        : ''
    parts.push(`<text x="16" y="${y - 10}" class="h2">${escapeXml(panel.title)}${note}</text>`)
    for (const bar of panel.bars) {
      const colour = /covet|README handler/i.test(bar.label) ? COLOURS.covet : COLOURS.other
      const length = scale.length(bar.value).toFixed(1)
      // A long label takes more lines; its bar sits beside the last.
      const lines = wrapLabel(bar.label)
      for (const [i, line] of lines.entries()) {
        if (i > 0) y += LINE_HEIGHT
        parts.push(
          `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" class="label" text-anchor="end">${escapeXml(line)}</text>`,
        )
      }
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${length}" height="${BAR_HEIGHT}" rx="2" fill="${colour}"/>`,
        `<text x="${LABEL_WIDTH + Number(length) + 6}" y="${y + BAR_HEIGHT - 4}" class="value">${escapeXml(panel.unit === '×' ? `${bar.value.toFixed(2)}×` : `${formatValue(bar.value)} ${panel.unit}`)}</text>`,
      )
      y += BAR_HEIGHT + GAP
    }
  }
  const height = y + 24
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Covet benchmark results">
<style>
  text { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; fill: #1f2328; }
  .h1 { font-size: 18px; font-weight: 600; }
  .h2 { font-size: 14px; font-weight: 600; }
  .label, .value { font-size: 12px; }
  .note { font-size: 11px; fill: #57606a; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`
}
