/**
 * Turns each bench result file into panels of bars: `{ title, unit, bars: [{ label, value }] }`.
 * Knows the shapes bench/core, bench/http, bench/paired, bench/rbac and bench/redis write, and the generic
 * `{ name, rows: [{ label, opsPerSec | requestsPerSec }] }`.
 */

/** @typedef {{ label: string, value: number }} Bar */
/** @typedef {{ title: string, unit: string, bars: Bar[] }} Panel */

import { median } from '../http/median.mjs'
import { wantedOf } from '../http/pairs.mjs'

const finite = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0

/**
 * @param {string} file the file's base name, used when the JSON has no `name`
 * @param {any} data the parsed JSON
 * @returns {Panel[]}
 */
export function toPanels(file, data) {
  const name = typeof data?.name === 'string' ? data.name : file.replace(/\.json$/, '')
  // bench/paired: { results: [{ name, target, startRatios: [[ratio, …], …] }] }: each pair's median.
  if (Array.isArray(data?.results) && data.results.some((row) => Array.isArray(row?.startRatios))) {
    const bars = data.results
      .filter((row) => typeof row?.name === 'string' && Array.isArray(row.startRatios))
      .map((row) => {
        const wanted = row.target === undefined ? '' : ` (${wantedOf(row.target)})`
        return { label: `${row.name}${wanted}`, value: median(row.startRatios.flat()) }
      })
      .filter((bar) => finite(bar.value))
    return bars.length > 0
      ? [{ title: 'HTTP, two servers at once: each pair’s ratio (issue 18 targets)', unit: '×', bars }]
      : []
  }
  // bench/http: { targets: [{ label, value }], results: [{ key, runtime, rps }] }: the targets'
  // ratios (each a median of per-round ratios from one run), then one panel per runtime.
  if (Array.isArray(data?.results)) {
    const ratios = (Array.isArray(data.targets) ? data.targets : [])
      .filter((row) => finite(row?.value) && typeof row.label === 'string')
      .map((row) => ({ label: `${row.label} (${row.target ?? ''})`, value: row.value }))
    const byRuntime = new Map()
    for (const row of data.results) {
      if (!finite(row?.rps) || typeof row.key !== 'string') continue
      const runtime = typeof row.runtime === 'string' ? row.runtime : 'node'
      if (!byRuntime.has(runtime)) byRuntime.set(runtime, [])
      byRuntime.get(runtime).push({ label: row.key, value: row.rps })
    }
    const panels = [...byRuntime].map(([runtime, bars]) => ({
      title: `HTTP (${runtime}): requests per second`,
      unit: 'req/s',
      bars,
    }))
    return ratios.length > 0
      ? [
          { title: 'HTTP: Covet over its baseline, same run (issue 18 targets)', unit: '×', bars: ratios },
          ...panels,
        ]
      : panels
  }
  // bench/rbac: { results: { covet: { opsPerCpuSec }, naive: { … } } }
  if (data?.results && typeof data.results === 'object') {
    const bars = Object.entries(data.results)
      .filter(([, figures]) => finite(figures?.opsPerCpuSec))
      .map(([label, figures]) => ({ label, value: figures.opsPerCpuSec }))
    return bars.length ? [{ title: `${name}: permission checks per CPU second`, unit: 'checks/s', bars }] : []
  }
  if (!Array.isArray(data?.rows)) return []
  // bench/redis: rows of { label, memory, redis }: two bars a row.
  if (data.rows.some((row) => finite(row?.memory) && finite(row?.redis))) {
    const bars = data.rows.flatMap((row) => [
      { label: `${row.label} (memory)`, value: row.memory },
      { label: `${row.label} (redis)`, value: row.redis },
    ])
    return [{ title: `${name}: operations per second, memory vs Redis store`, unit: 'ops/s', bars }]
  }
  const rps = data.rows.some((row) => finite(row?.requestsPerSec))
  const bars = data.rows
    .map((row) => ({ label: String(row?.label ?? ''), value: rps ? row?.requestsPerSec : row?.opsPerSec }))
    .filter((bar) => bar.label !== '' && finite(bar.value))
  return bars.length
    ? [
        {
          title: `${name}: ${rps ? 'requests' : 'operations'} per second`,
          unit: rps ? 'req/s' : 'ops/s',
          bars,
        },
      ]
    : []
}
